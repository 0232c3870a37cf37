using WarpDrive.Devices.Soft;
using WarpDrive.Drivers.Qm;

namespace WarpDrive.Tests.Drivers;

public class OutOfOrderCompletionTests
{
    [Fact]
    public void Completions_in_reverse_order_return_each_result_from_its_own_slot_and_free_slots_in_order()
    {
        using var device = new SoftDevice(new SoftEngineOptions { WorkerCount = 1, QueueDepth = 16, ReorderCompletions = true });
        using var queue = device.OpenQueue("nop");
        var order = new List<uint>();
        var done = new byte[ZipSqe.Size];
        var batch = new byte[ZipSqe.Size * 8];
        for (int round = 0; round < 2000; round++)
        {
            for (int i = 0; i < 8; i++)
            {
                var zip = new ZipSqe(batch.AsSpan(i * ZipSqe.Size)) { Layout = ZipSqeLayout.V3, InputLength = (uint)(round * 8 + i) };
                zip.Tag = (uint)(round * 8 + i);
            }
            Assert.True(queue.TrySend(batch));
            for (int i = 0; i < 8; i++)
            {
                queue.Receive(done, TimeSpan.FromSeconds(10));
                var result = new ZipSqe(done);
                Assert.Equal(result.Tag, result.Consumed);
                order.Add(result.Tag);
            }
            Assert.Equal(0, queue.InFlight);
        }
        Assert.Equal(16000, order.Distinct().Count());
        Assert.NotEqual(order.Order().ToList(), order);
    }
}
