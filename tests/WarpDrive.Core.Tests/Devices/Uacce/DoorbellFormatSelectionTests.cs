using WarpDrive.Devices.Uacce;
using WarpDrive.Drivers.Qm;
using WarpDrive.Queues;

namespace WarpDrive.Tests.Devices.Uacce;

public class DoorbellFormatSelectionTests
{
    private static UacceDeviceInfo Device(string api, long mmioSize) =>
        new("hisi_zip-0", "/dev/hisi_zip-0", "/sys/class/uacce/hisi_zip-0", api, 0, ["gzip"], 1, mmioSize, 0x25000, 0, 0, null,
            AcceleratorKind.Hardware);

    [Theory]
    [InlineData("hisi_qm_v1", "V1", 0x340)]
    [InlineData("hisi_qm_v2", "V2", 0x1000)]
    [InlineData("hisi_qm_v3", "V2", 0x1000)]
    [InlineData("hisi_qm_v5", "V2", 0x1000)]
    [InlineData("hisi_qm_v2_noiommu", "V2", 0x1000)]
    public void The_api_string_selects_the_doorbell_format(string api, string formatName, int offset)
    {
        var format = Enum.Parse<QmDoorbellFormat>(formatName);
        Assert.Equal(format, UacceQueue.DoorbellFormatFor(Device(api, 8192)));
        Assert.Equal(offset, QmDoorbell.Offset(format));
    }

    [Fact]
    public void A_v1_doorbell_fits_in_one_4K_page()
    {
        Assert.Equal(QmDoorbellFormat.V1, UacceQueue.DoorbellFormatFor(Device("hisi_qm_v1", 4096)));
    }

    [Fact]
    public void An_MMIO_region_that_does_not_reach_the_v2_doorbell_is_refused()
    {
        var e = Assert.Throws<AcceleratorException>(() => UacceQueue.DoorbellFormatFor(Device("hisi_qm_v2", 4096)));
        Assert.Contains("0x1000", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vendor_api_v1")]
    [InlineData("hisi_qm_v")]
    [InlineData("hisi_qm_v0")]
    public void A_non_QM_api_is_refused(string api)
    {
        var e = Assert.Throws<AcceleratorException>(() => UacceQueue.DoorbellFormatFor(Device(api, 8192)));
        Assert.Contains(api, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_a_queue_on_a_non_QM_device_fails_before_touching_the_device_node()
    {
        var device = new UacceDevice(Device("vendor_api_v1", 8192) with { DevicePath = "/nonexistent/dev/x" });

        Assert.Throws<AcceleratorException>(() => device.OpenQueue("gzip"));
    }
}
