using WarpDrive.Devices.Uacce;
using WarpDrive.Queues;

namespace WarpDrive.Tests.Devices.Uacce;

public class DeviceKindClassificationTests
{
    [Theory]
    [InlineData("hisi_zip-0", "hisi_qm_v2", AcceleratorKind.Hardware)]
    [InlineData("hisi_hpre-3", "hisi_qm_v3", AcceleratorKind.Hardware)]
    [InlineData("hisi_sec2-1", "hisi_qm_v2", AcceleratorKind.Hardware)]
    [InlineData("hisi_zip_soft-0", "hisi_qm_v2", AcceleratorKind.KernelSoft)]
    [InlineData("uacce_echo-4", "hisi_qm_v2", AcceleratorKind.KernelSoft)]
    [InlineData("soft-0", "hisi_qm_v2", AcceleratorKind.KernelSoft)]
    [InlineData("zipdev-0", "hisi_qm_v2_soft", AcceleratorKind.KernelSoft)]
    public void Kind_follows_the_device_name_and_api(string name, string api, AcceleratorKind expected) =>
        Assert.Equal(expected, UacceDiscovery.ClassifyKind(name, api));

    [Fact]
    public void Discovery_marks_the_echo_device_as_kernel_soft()
    {
        using var tree = new FakeUacceTree();
        tree.AddDevice("uacce_echo-0").Set("algorithms", "echo");

        var d = Assert.Single(UacceDiscovery.Discover(tree.SysfsRoot, tree.DevRoot).Devices);

        Assert.Equal(AcceleratorKind.KernelSoft, d.Kind);
        Assert.Equal(AcceleratorKind.KernelSoft, d.ToAcceleratorDeviceInfo().Kind);
    }
}
