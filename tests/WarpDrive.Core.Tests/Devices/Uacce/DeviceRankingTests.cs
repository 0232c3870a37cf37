using WarpDrive.Devices.Uacce;

namespace WarpDrive.Tests.Devices.Uacce;

public class DeviceRankingTests
{
    [Fact]
    public void Hardware_on_the_callers_node_comes_first_then_remote_hardware_then_kernel_soft()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0").SetNumaNode("0");
        tree.AddDevice("hisi_zip-1").SetNumaNode("1");
        tree.AddDevice("hisi_zip_soft-2").SetNumaNode("1");
        var result = UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot);

        Assert.Equal(["hisi_zip-1", "hisi_zip-0", "hisi_zip_soft-2"], result.Rank("gzip", 1).Select(d => d.Name));
        Assert.Equal(["hisi_zip-0", "hisi_zip-1", "hisi_zip_soft-2"], result.Rank("gzip", 0).Select(d => d.Name));
    }

    [Fact]
    public void A_device_without_free_queues_goes_last()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0").Set("available_instances", "0");
        tree.AddDevice("hisi_zip_soft-1").Set("available_instances", "4");
        tree.AddDevice("hisi_zip-2").SetNumaNode("1").MakeUnreadable("available_instances");
        var result = UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot);

        Assert.Equal(["hisi_zip-2", "hisi_zip_soft-1", "hisi_zip-0"], result.Rank("zlib", 0).Select(d => d.Name));
    }

    [Fact]
    public void More_free_queues_break_a_tie()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0").Set("available_instances", "2");
        tree.AddDevice("hisi_zip-1").Set("available_instances", "40");
        var result = UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot);

        Assert.Equal(["hisi_zip-1", "hisi_zip-0"], result.Rank("zlib", 0).Select(d => d.Name));
    }

    [Fact]
    public void Only_devices_serving_the_algorithm_through_a_QM_api_are_ranked()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0");
        tree.AddDevice("hisi_hpre-1").Set("algorithms", "rsa\ndh");
        tree.AddDevice("other_accel-2").Set("api", "vendor_api_v1");
        var result = UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot);

        Assert.Equal(["hisi_hpre-1"], result.Rank("rsa", 0).Select(d => d.Name));
        Assert.Equal(["hisi_zip-0"], result.Rank("gzip", 0).Select(d => d.Name));
        Assert.Empty(result.Rank("lz4", 0));
        Assert.Equal(["hisi_zip-0"], result.Rank("gzip").Select(d => d.Name));
    }
}
