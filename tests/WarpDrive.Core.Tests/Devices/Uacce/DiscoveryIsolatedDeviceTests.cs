using WarpDrive.Devices.Uacce;

namespace WarpDrive.Tests.Devices.Uacce;

public class DiscoveryIsolatedDeviceTests
{
    [Fact]
    public void An_isolated_device_is_skipped_with_the_reason()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0").Set("isolate", "1");
        tree.AddDevice("hisi_zip-1");

        var result = UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot);

        Assert.Equal("hisi_zip-1", Assert.Single(result.Devices).Name);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("hisi_zip-0", diagnostic.Name);
        Assert.Contains("isolated", diagnostic.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kernel_without_the_isolate_attribute_leaves_the_device_usable()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0").Remove("isolate").Remove("isolate_strategy");

        var d = Assert.Single(UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot).Devices);

        Assert.Null(d.IsolateStrategy);
    }
}
