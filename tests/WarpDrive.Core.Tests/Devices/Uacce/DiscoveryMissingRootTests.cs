using WarpDrive.Devices.Uacce;

namespace WarpDrive.Tests.Devices.Uacce;

public class DiscoveryMissingRootTests
{
    [Fact]
    public void A_missing_class_directory_gives_an_empty_result()
    {
        string root = Path.Combine(Path.GetTempPath(), $"warpdrive-no-uacce-{Guid.NewGuid():N}");

        var result = UacceDiscovery.Discover(root, "/dev");

        Assert.Empty(result.Devices);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Rank("gzip", 0));
    }

    [Fact]
    public void An_empty_class_directory_gives_an_empty_result()
    {
        using var tree = new FakeUacceTree();

        var result = UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot);

        Assert.Empty(result.Devices);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void The_real_sysfs_root_never_throws()
    {
        // No uacce on a build machine (empty result); a kernel-tier guest lists its devices. Either is fine here.
        var result = UacceDiscovery.Discover();

        Assert.NotNull(result.Devices);
        Assert.All(result.Devices, d => Assert.StartsWith("/dev/", d.DevicePath, StringComparison.Ordinal));
    }
}
