using WarpDrive.Devices.Soft;
using WarpDrive.Drivers.Qm;

namespace WarpDrive.Tests.Drivers;

public class RingWrapAroundTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1024)]
    public void Hundred_thousand_requests_wrap_the_ring_and_flip_the_phase_without_loss(int depth)
    {
        const int Total = 100_000;
        using var device = new SoftDevice(new SoftEngineOptions { WorkerCount = 1, QueueDepth = depth });
        using var queue = device.OpenQueue("nop");
        var sqe = new byte[ZipSqe.Size];
        var done = new byte[ZipSqe.Size];
        var seen = new bool[Total];
        int sent = 0, received = 0;
        while (received < Total)
        {
            while (sent < Total && queue.InFlight < depth - 1)
            {
                var zip = new ZipSqe(sqe) { Layout = ZipSqeLayout.V3, InputLength = (uint)sent };
                zip.Tag = (uint)sent;
                Assert.True(queue.TrySend(sqe));
                sent++;
            }
            if (sent >= Total && queue.InFlight == 0)
                break;
            queue.Receive(done, TimeSpan.FromSeconds(10));
            var result = new ZipSqe(done);
            Assert.Equal(result.Tag, result.Consumed);
            Assert.False(seen[result.Tag], $"request {result.Tag} completed twice");
            seen[result.Tag] = true;
            received++;
        }
        Assert.Equal(Total, received);
        Assert.All(seen, Assert.True);
    }

    [Fact]
    public void A_full_ring_refuses_more_and_keeps_one_slot_free()
    {
        using var device = new SoftDevice(new SoftEngineOptions { WorkerCount = 1, QueueDepth = 4 });
        using var queue = device.OpenQueue("nop");
        var batch = new byte[ZipSqe.Size * 4];
        for (int i = 0; i < 4; i++)
            _ = new ZipSqe(batch.AsSpan(i * ZipSqe.Size)) { Layout = ZipSqeLayout.V3 };
        Assert.False(queue.TrySend(batch), "depth 4 must take at most 3 SQEs");
        Assert.Equal(0, queue.InFlight);
        Assert.True(queue.TrySend(batch.AsSpan(0, 3 * ZipSqe.Size)));
        queue.Flush(TimeSpan.FromSeconds(10));
        var done = new byte[ZipSqe.Size];
        for (int i = 0; i < 3; i++)
            Assert.True(queue.TryReceive(done));
        Assert.False(queue.TryReceive(done));
    }
}
