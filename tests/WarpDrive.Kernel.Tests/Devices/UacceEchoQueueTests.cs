using System.Buffers.Binary;
using System.Diagnostics;
using WarpDrive.Devices.Uacce;
using WarpDrive.Drivers.Qm;
using WarpDrive.Queues;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Tests.Devices.Uacce;

/// <summary>
/// The whole hardware path (open, mmap, QM ioctls, doorbell stores, CQE phases, poll, PUT_Q) against the
/// <c>uacce_echo</c> test device of <c>native/uacce/tests</c>, which copies dw16–23 of each SQE to dw24–31 and
/// posts a CQE. Runs in the kernel tier (qemu guest, WARPDRIVE_KERNEL_TIER=1); skipped elsewhere.
/// </summary>
/// <remarks>The tests of this class run one after another, so queue counts on the device are theirs alone.</remarks>
public class UacceEchoQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    // Echo ops (dw9 bits 7:0) and statuses (dw3 bits 7:0), from native/uacce/tests/echo_main.c.
    private const uint OpInline = 0x00;
    private const uint OpCopy = 0x01;
    private const int PayloadDw = 16;
    private const int EchoDw = 24;

    private static UacceDevice EchoDevice()
    {
        var result = UacceDiscovery.Discover();
        var info = result.Devices.FirstOrDefault(d => d.Name.StartsWith("uacce_echo", StringComparison.Ordinal));
        if (info is null)
        {
            string why = $"No uacce_echo device under {UacceDiscovery.DefaultSysfsRoot} (devices: [{string.Join(", ", result.Devices.Select(d => d.Name))}]; " +
                $"skipped: [{string.Join("; ", result.Diagnostics)}]).";
            if (Environment.GetEnvironmentVariable("WARPDRIVE_KERNEL_TIER") == "1")
                Assert.Fail($"{why} The kernel tier must insmod native/uacce/uacce.ko and native/uacce/tests/uacce_echo.ko first.");
            Assert.Skip($"{why} These tests run in the kernel tier (WARPDRIVE_KERNEL_TIER=1).");
        }
        Assert.Equal("hisi_qm_v2", info.Api);
        Assert.Equal(["echo"], info.Algorithms);
        return new UacceDevice(info);
    }

    private static UacceQueue Open(UacceDevice device) => Assert.IsType<UacceQueue>(device.OpenQueue("echo"));

    /// <summary>
    /// Receives one completion, re-ringing the SQ doorbell (<see cref="QmQueue.Kick"/>, as the pool does on a
    /// stall) while none comes. uacce_echo's doorbell is one memory word its thread polls every 50–100 µs, so a
    /// CQ doorbell stored before the thread looked (QmQueuePair rings one after each completion and to arm the
    /// interrupt) replaces the SQ doorbell before it; the absolute tail in the next SQ doorbell recovers.
    /// </summary>
    private static void ReceiveKicking(UacceQueue queue, byte[] done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                queue.Receive(done, TimeSpan.FromMilliseconds(100));
                return;
            }
            catch (TimeoutException) when (clock.Elapsed < Timeout)
            {
                queue.Kick();
            }
        }
    }

    private static byte[] InlineSqe(uint tag)
    {
        var bytes = new byte[ZipSqe.Size];
        var sqe = new ZipSqe(bytes) { Layout = ZipSqeLayout.V2 };
        sqe.Tag = tag;
        SetDw(bytes, 9, OpInline);
        for (int i = 0; i < 8; i++)
            SetDw(bytes, PayloadDw + i, Payload(tag, i));
        return bytes;
    }

    private static uint Payload(uint tag, int i) => (tag * 0x9E3779B1u) ^ (uint)(i * 0x01010101);

    private static uint Dw(byte[] sqe, int n) => BinaryPrimitives.ReadUInt32LittleEndian(sqe.AsSpan(n * 4));

    private static void SetDw(byte[] sqe, int n, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(sqe.AsSpan(n * 4), value);

    private static void AssertEchoed(byte[] done, uint tag)
    {
        var sqe = new ZipSqe(done);
        Assert.Equal(tag, sqe.Tag);
        Assert.Equal(ZipStatus.Ok, sqe.Status);
        Assert.Equal(32u, sqe.Consumed);
        for (int i = 0; i < 8; i++)
            Assert.Equal(Payload(tag, i), Dw(done, EchoDw + i));
    }

    [Fact]
    public void An_echo_request_comes_back_with_its_tag_and_payload()
    {
        var device = EchoDevice();
        using var queue = Open(device);
        Assert.Equal(ZipSqe.Size, queue.SqeSize);
        Assert.True(queue.Depth >= 2);
        Assert.False(queue.IsStopped);

        Assert.True(queue.TrySend(InlineSqe(42)));
        var done = new byte[ZipSqe.Size];
        ReceiveKicking(queue, done);

        AssertEchoed(done, 42);
        Assert.Equal(0, queue.InFlight);
    }

    [Fact]
    public void A_thousand_requests_wrap_the_rings_and_come_back_in_order()
    {
        var device = EchoDevice();
        using var queue = Open(device);
        const int total = 1000;
        var done = new byte[ZipSqe.Size];
        uint sent = 0, received = 0;
        while (received < total)
        {
            // Fill the ring (depth − 1 in flight), sometimes two SQEs under one doorbell.
            while (sent < total && queue.InFlight < queue.Depth - 1)
            {
                if (sent + 1 < total && queue.InFlight < queue.Depth - 2 && sent % 3 == 0)
                {
                    Assert.True(queue.TrySend([.. InlineSqe(sent), .. InlineSqe(sent + 1)]));
                    sent += 2;
                }
                else
                {
                    Assert.True(queue.TrySend(InlineSqe(sent++)));
                }
            }
            ReceiveKicking(queue, done);
            AssertEchoed(done, received++);
        }
        Assert.Equal(0, queue.InFlight);
        Assert.True(total > 10 * queue.Depth, $"depth {queue.Depth} is too large for 1000 requests to wrap often");
    }

    [Fact]
    public void Receive_sleeps_in_poll_until_the_device_answers()
    {
        var device = EchoDevice();
        using var queue = Open(device);
        var done = new byte[ZipSqe.Size];
        var clock = Stopwatch.StartNew();

        // The sender is another thread: one sender and one receiver at a time is the queue's contract.
        bool sent = false;
        var sender = new Thread(() =>
        {
            Thread.Sleep(300);
            sent = queue.TrySend(InlineSqe(7));
        });
        sender.Start();
        queue.Receive(done, Timeout);
        sender.Join();

        Assert.True(sent);
        AssertEchoed(done, 7);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), Timeout);
    }

    [Fact]
    public void Receive_times_out_when_nothing_was_sent()
    {
        var device = EchoDevice();
        using var queue = Open(device);

        Assert.Throws<TimeoutException>(() => queue.Receive(new byte[ZipSqe.Size], TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task ReceiveAsync_honours_cancellation_then_still_receives()
    {
        var device = EchoDevice();
        using var queue = Open(device);
        var done = new byte[ZipSqe.Size];

        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.ReceiveAsync(done, Timeout, cts.Token).AsTask());

        Assert.True(queue.TrySend(InlineSqe(9)));
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await queue.ReceiveAsync(done, TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
                break;
            }
            catch (TimeoutException) when (clock.Elapsed < Timeout)
            {
                queue.Kick(); // see ReceiveKicking
            }
        }
        AssertEchoed(done, 9);
    }

    [Fact]
    public void Dispose_releases_the_queue_its_fd_and_its_mappings()
    {
        var device = EchoDevice();
        int before = device.ReadAvailableInstances();
        Assert.True(before > 0, "the echo device has no free queue");

        var queue = Open(device);
        Assert.Equal(before - 1, device.ReadAvailableInstances());
        Assert.Equal(1, OpenFds.To(queue.DevicePath));
        queue.Dispose();

        Assert.Equal(before, device.ReadAvailableInstances());
        Assert.Equal(0, OpenFds.To(queue.DevicePath));
        Assert.False(OpenFds.Mapped(queue.DevicePath));
        Assert.Throws<ObjectDisposedException>(() => queue.TrySend(InlineSqe(1)));
    }

    [Fact]
    public void A_reserved_region_is_shared_with_a_second_queue_and_both_devices_copy_inside_it()
    {
        var device = EchoDevice();
        using var first = Open(device);
        using var second = Open(device);
        using var region = first.ReserveMemory(10_000);
        long page = Environment.SystemPageSize;
        Assert.Equal((10_000 + page - 1) / page * page, region.Size);
        Assert.False(region.Sva);

        region.ShareWith(second);
        Assert.Throws<InvalidOperationException>(() => second.ReserveMemory(4096));
        ulong base1 = first.GetSharedRegionDeviceAddress();
        Assert.Equal(base1, second.GetSharedRegionDeviceAddress());

        var pattern = Enumerable.Range(0, 100).Select(i => (byte)(i * 7 + 1)).ToArray();
        pattern.CopyTo(region.GetSpan(0, 100));
        Copy(first, base1, 0, 4096, 100);
        Assert.Equal(pattern, region.GetSpan(4096, 100).ToArray());
        Copy(second, base1, 4096, 8192, 100);
        Assert.Equal(pattern, region.GetSpan(8192, 100).ToArray());
    }

    private static void Copy(UacceQueue queue, ulong regionBase, long from, long to, uint length)
    {
        var bytes = new byte[ZipSqe.Size];
        var sqe = new ZipSqe(bytes) { Layout = ZipSqeLayout.V2, InputLength = length };
        sqe.SourceAddress = regionBase + (ulong)from;
        sqe.DestinationAddress = regionBase + (ulong)to;
        SetDw(bytes, 9, OpCopy);
        Assert.True(queue.TrySend(bytes));
        var done = new byte[ZipSqe.Size];
        ReceiveKicking(queue, done);
        Assert.Equal(ZipStatus.Ok, new ZipSqe(done).Status);
        Assert.Equal(length, new ZipSqe(done).Consumed);
    }
}
