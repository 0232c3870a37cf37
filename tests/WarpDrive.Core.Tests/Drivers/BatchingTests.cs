using WarpDrive.Devices.Soft;
using WarpDrive.Drivers.Qm;

namespace WarpDrive.Tests.Drivers;

public class BatchingTests
{
    [Fact]
    public void Several_sqes_go_out_with_one_doorbell_and_all_complete()
    {
        using var device = new SoftDevice(new SoftEngineOptions { WorkerCount = 2, QueueDepth = 64 });
        using var queue = device.OpenQueue("nop");
        var soft = (SoftQueue)queue;
        const int Batch = 32;
        var batch = new byte[ZipSqe.Size * Batch];
        for (int i = 0; i < Batch; i++)
        {
            var zip = new ZipSqe(batch.AsSpan(i * ZipSqe.Size)) { Layout = ZipSqeLayout.V3, InputLength = (uint)(i + 1) };
            zip.Tag = (uint)i;
        }
        long before = soft.Hardware.SqDoorbells;
        Assert.True(queue.TrySend(batch));
        Assert.Equal(before + 1, soft.Hardware.SqDoorbells);
        queue.Flush(TimeSpan.FromSeconds(10));
        var tags = new HashSet<uint>();
        var done = new byte[ZipSqe.Size];
        while (queue.TryReceive(done))
        {
            var result = new ZipSqe(done);
            Assert.Equal(result.Tag + 1, result.Consumed);
            Assert.True(tags.Add(result.Tag));
        }
        Assert.Equal(Batch, tags.Count);
    }

    [Fact]
    public void A_batch_that_is_not_whole_sqes_is_rejected()
    {
        using var device = new SoftDevice(new SoftEngineOptions { WorkerCount = 1, QueueDepth = 8 });
        using var queue = device.OpenQueue("nop");
        Assert.Throws<ArgumentException>(() => queue.TrySend(new byte[ZipSqe.Size + 1]));
    }
}
