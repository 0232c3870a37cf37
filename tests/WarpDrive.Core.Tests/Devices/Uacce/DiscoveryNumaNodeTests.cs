using WarpDrive.Devices.Uacce;

namespace WarpDrive.Tests.Devices.Uacce;

public class DiscoveryNumaNodeTests
{
    private static int NumaNodeOf(Action<FakeDevice> setUp)
    {
        using var tree = new FakeUacceTree();
        setUp(tree.AddDevice("hisi_zip-0"));
        return Assert.Single(UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot).Devices).NumaNode;
    }

    [Fact]
    public void Negative_numa_node_reads_as_node_0() => Assert.Equal(0, NumaNodeOf(d => d.SetNumaNode("-1")));

    [Fact]
    public void Parent_numa_node_is_used() => Assert.Equal(3, NumaNodeOf(d => d.SetNumaNode("3")));

    [Fact]
    public void Without_a_parent_numa_node_openEuler_node_id_is_used() =>
        Assert.Equal(1, NumaNodeOf(d => d.RemoveNumaNode().Set("node_id", "1")));

    [Fact]
    public void Without_any_numa_attribute_the_node_is_0() => Assert.Equal(0, NumaNodeOf(d => d.RemoveNumaNode()));
}
