using WarpDrive.Devices.Uacce;
using WarpDrive.Queues;

namespace WarpDrive.Tests.Devices.Uacce;

public class DiscoveryFlatLayoutTests
{
    [Fact]
    public void Every_attribute_of_a_mainline_device_is_read()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-0")
            .Set("flags", "1")
            .Set("available_instances", "61")
            .Set("algorithms", "zlib\ngzip\ndeflate")
            .Set("isolate_strategy", "5")
            .SetNumaNode("1");

        var result = UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot);

        Assert.Empty(result.Diagnostics);
        var d = Assert.Single(result.Devices);
        Assert.Equal("hisi_zip-0", d.Name);
        Assert.Equal(Path.Combine(tree.DevRoot, "hisi_zip-0"), d.DevicePath);
        Assert.Equal("hisi_qm_v2", d.Api);
        Assert.Equal(1u, d.Flags);
        Assert.True(d.Sva);
        Assert.Equal(["zlib", "gzip", "deflate"], d.Algorithms);
        Assert.Equal(61, d.AvailableInstances);
        Assert.Equal(8192, d.RegionMmioSize);
        Assert.Equal(0x25000, d.RegionDusSize);
        Assert.Equal(5u, d.IsolateStrategy);
        Assert.Equal(1, d.NumaNode);
        Assert.Null(d.NumaDistance);
        Assert.Equal(AcceleratorKind.Hardware, d.Kind);
    }

    [Fact]
    public void OpenEuler_node_id_and_numa_distance_are_read_when_present()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_hpre-1").RemoveNumaNode().Set("node_id", "2").Set("numa_distance", "20");

        var d = Assert.Single(UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot).Devices);

        Assert.Equal(2, d.NumaNode);
        Assert.Equal(20, d.NumaDistance);
    }

    [Fact]
    public void Devices_are_listed_in_name_order_and_map_to_the_neutral_device_info()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("hisi_zip-1");
        tree.AddDevice("hisi_zip-0").Set("flags", "1");

        var result = UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot);

        Assert.Equal(["hisi_zip-0", "hisi_zip-1"], result.Devices.Select(d => d.Name));
        var info = result.Devices[0].ToAcceleratorDeviceInfo();
        Assert.Equal(("hisi_zip-0", AcceleratorKind.Hardware, "hisi_qm_v2", true, 64, 0),
            (info.Name, info.Kind, info.Api, info.Sva, info.AvailableQueues, info.NumaNode));
        Assert.True(info.Supports("gzip"));
    }

    [Fact]
    public void Available_instances_are_read_again_on_request()
    {
        using var tree = new FakeUacceTree();
        var fake = tree.AddDevice("hisi_zip-0");
        var device = new UacceDevice(Assert.Single(UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot).Devices));

        fake.Set("available_instances", "3");

        Assert.Equal(64, device.Info.AvailableQueues);
        Assert.Equal(3, device.ReadAvailableInstances());
    }
}
