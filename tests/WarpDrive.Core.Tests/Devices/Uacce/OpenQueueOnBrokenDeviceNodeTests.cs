using WarpDrive.Devices.Uacce;
using WarpDrive.Queues;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Tests.Devices.Uacce;

/// <summary>A queue that cannot be set up fails with a typed exception and leaves no fd and no mapping behind.</summary>
[Collection(nameof(FdLeakCollection))]
public class OpenQueueOnBrokenDeviceNodeTests
{
    private static (FakeUacceTree Tree, UacceDevice Device) FakeDevice(string name)
    {
        var tree = new FakeUacceTree();
        tree.AddDevice(name);
        var info = Assert.Single(UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot).Devices);
        return (tree, new UacceDevice(info));
    }

    [Fact]
    public void A_regular_file_as_device_node_fails_at_the_first_ioctl_and_leaks_nothing()
    {
        var (tree, device) = FakeDevice("hisi_zip-0");
        using var _ = tree;
        string node = device.Details.DevicePath;
        File.WriteAllBytes(node, []);
        // Warm up: the first failure may load libraries or open runtime files that stay open.
        Assert.ThrowsAny<AcceleratorException>(() => device.OpenQueue("gzip"));
        int before = OpenFds.Count();

        // open and both mmaps succeed on a regular file; SET_QP_CTX is the first call that cannot.
        var e = Assert.Throws<AcceleratorException>(() => device.OpenQueue("gzip"));

        Assert.Contains("UACCE_CMD_QM_SET_QP_CTX", e.Message, StringComparison.Ordinal);
        Assert.Contains("ENOTTY", e.Message, StringComparison.Ordinal);
        Assert.Contains(node, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, OpenFds.To(node));
        Assert.False(OpenFds.Mapped(node));
        Assert.Equal(before, OpenFds.Count());
    }

    [Fact]
    public void A_missing_device_node_gives_FileNotFoundException()
    {
        var (tree, device) = FakeDevice("hisi_zip-0");
        using var _ = tree;
        int before = OpenFds.Count();

        var e = Assert.Throws<FileNotFoundException>(() => device.OpenQueue("gzip"));

        Assert.Contains(device.Details.DevicePath, e.Message, StringComparison.Ordinal);
        Assert.Equal(before, OpenFds.Count());
    }

    [Fact]
    public void A_directory_as_device_node_gives_AcceleratorException()
    {
        var (tree, device) = FakeDevice("hisi_zip-0");
        using var _ = tree;
        Directory.CreateDirectory(device.Details.DevicePath);

        var e = Assert.Throws<AcceleratorException>(() => device.OpenQueue("gzip"));

        Assert.Contains("EISDIR", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_algorithm_the_device_does_not_serve_is_an_argument_error()
    {
        var (tree, device) = FakeDevice("hisi_zip-0");
        using var _ = tree;

        var e = Assert.Throws<ArgumentException>(() => device.OpenQueue("rsa"));

        Assert.Equal("algorithm", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => device.OpenQueue("gzip", queueType: 3));
    }
}
