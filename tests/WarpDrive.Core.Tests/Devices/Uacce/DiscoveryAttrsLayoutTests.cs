using WarpDrive.Devices.Uacce;

namespace WarpDrive.Tests.Devices.Uacce;

public class DiscoveryAttrsLayoutTests
{
    [Fact]
    public void Attributes_in_an_attrs_subdirectory_are_read()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-3", attrsLayout: true).Set("available_instances", "7").Set("flags", "1");

        var result = UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot);

        Assert.Empty(result.Diagnostics);
        var d = Assert.Single(result.Devices);
        Assert.Equal(7, d.AvailableInstances);
        Assert.True(d.Sva);
        Assert.Equal(["zlib", "gzip"], d.Algorithms);
    }

    [Fact]
    public void Attrs_subdirectory_wins_over_the_flat_attribute()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0", attrsLayout: true).Set("api", "hisi_qm_v1").SetFlat("api", "hisi_qm_v3");

        var d = Assert.Single(UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot).Devices);

        Assert.Equal("hisi_qm_v1", d.Api);
    }

    [Fact]
    public void An_attribute_missing_from_attrs_is_looked_up_in_the_device_directory()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0", attrsLayout: true).Remove("algorithms").SetFlat("algorithms", "deflate");

        var d = Assert.Single(UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot).Devices);

        Assert.Equal(["deflate"], d.Algorithms);
    }
}
