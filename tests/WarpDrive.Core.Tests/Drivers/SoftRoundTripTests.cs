using WarpDrive.Devices.Soft;
using WarpDrive.Drivers.Qm;

namespace WarpDrive.Tests.Drivers;

public class SoftRoundTripTests
{
    [Fact]
    public void Nop_request_completes_with_results_written_into_its_slot()
    {
        using var device = new SoftDevice(new SoftEngineOptions { WorkerCount = 1, QueueDepth = 8 });
        using var queue = device.OpenQueue("nop");
        var sqe = new byte[ZipSqe.Size];
        var zip = new ZipSqe(sqe) { Layout = ZipSqeLayout.V3, InputLength = 1234 };
        zip.Tag = 42;
        Assert.True(queue.TrySend(sqe));
        var done = new byte[ZipSqe.Size];
        queue.Receive(done, TimeSpan.FromSeconds(10));
        var result = new ZipSqe(done);
        Assert.Equal(42u, result.Tag);
        Assert.Equal(1234u, result.Consumed);
        Assert.Equal(0, queue.InFlight);
    }
}
