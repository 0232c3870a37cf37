using WarpDrive.Devices.Uacce;

namespace WarpDrive.Tests.Devices.Uacce;

/// <summary>Discovery of a missing, an empty and the real class directory.</summary>
public sealed class DiscoveryMissingRootTests
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
    public void The_real_sysfs_root_accounts_for_every_device_it_lists()
    {
        // No uacce on a build machine (an empty result); a kernel-tier guest lists its devices. Either way each entry
        // of the class directory is a device with its node, or a diagnostic saying why not — none is lost.
        var listed = Directory.Exists(UacceDiscovery.DefaultSysfsRoot)
            ? new DirectoryInfo(UacceDiscovery.DefaultSysfsRoot).GetFileSystemInfos().Select(entry => entry.Name).Order(StringComparer.Ordinal).ToList()
            : [];

        var result = UacceDiscovery.Discover();

        var accounted = result.Devices.Select(d => d.Name).Concat(result.Diagnostics.Select(d => d.Name)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(listed, accounted);
        Assert.All(result.Devices, d => Assert.Equal("/dev/" + d.Name, d.DevicePath));
    }
}
