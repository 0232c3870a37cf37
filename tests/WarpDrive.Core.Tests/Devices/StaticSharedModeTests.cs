using System.IO.Compression;
using WarpDrive.Devices.Soft;
using WarpDrive.Drivers.Qm;
using WarpDrive.Scheduling;
using WarpDrive.Tests.Helpers;
using WarpDrive.Tests.Infrastructure;

namespace WarpDrive.Tests.Devices;

public class StaticSharedModeTests
{
    [Theory]
    [InlineData(60_000UL, 8_192U)]   // runs past the end
    [InlineData(1UL << 40, 16U)]     // far outside
    [InlineData(ulong.MaxValue, 1U)] // would wrap around
    public void An_address_outside_the_region_completes_with_an_error_status_not_a_crash(ulong source, uint length)
    {
        using var device = new SoftDevice(new SoftEngineOptions { WorkerCount = 1, QueueDepth = 8, Sva = false });
        using var queue = device.OpenQueue("deflate");
        using var region = queue.ReserveMemory(64 * 1024);
        var sqe = new byte[ZipSqe.Size];
        _ = new ZipSqe(sqe)
        {
            Layout = ZipSqeLayout.V3,
            RequestType = ZipRequestType.Deflate,
            SourceAddress = source,
            InputLength = length,
            DestinationAddress = 0,
            OutputCapacity = 1024,
            Finish = true,
        };
        Assert.True(queue.TrySend(sqe));
        queue.Receive(sqe, TimeSpan.FromSeconds(10));
        Assert.Equal(ZipStatus.AddressFault, new ZipSqe(sqe).Status);
    }

    [Fact]
    public void Without_a_region_every_address_is_rejected()
    {
        using var device = new SoftDevice(new SoftEngineOptions { WorkerCount = 1, QueueDepth = 8, Sva = false });
        using var queue = device.OpenQueue("deflate");
        var sqe = new byte[ZipSqe.Size];
        _ = new ZipSqe(sqe) { Layout = ZipSqeLayout.V3, RequestType = ZipRequestType.Deflate, InputLength = 10, OutputCapacity = 100, Finish = true };
        Assert.True(queue.TrySend(sqe));
        queue.Receive(sqe, TimeSpan.FromSeconds(10));
        Assert.Equal(ZipStatus.AddressFault, new ZipSqe(sqe).Status);
    }

    [Fact]
    public void The_region_is_bounds_checked_on_the_process_side_too()
    {
        using var device = new SoftDevice(new SoftEngineOptions { WorkerCount = 1, QueueDepth = 8, Sva = false });
        using var queue = device.OpenQueue("deflate");
        using var region = queue.ReserveMemory(4096);
        Assert.Throws<ArgumentOutOfRangeException>(() => region.GetSpan(4000, 200));
        Assert.Throws<ArgumentOutOfRangeException>(() => region.DeviceAddress(-1, 1));
        Assert.Equal(100UL, region.DeviceAddress(100, 10));
    }

    [Fact]
    public void A_region_shared_with_a_second_queue_carries_data_between_them_without_copies()
    {
        using var device = new SoftDevice(new SoftEngineOptions { WorkerCount = 1, QueueDepth = 8, Sva = false });
        using var compress = device.OpenQueue("deflate", 0);
        using var decompress = device.OpenQueue("deflate", 1);
        using var region = compress.ReserveMemory(1 << 20);
        region.ShareWith(decompress);
        var text = Corpus.TextBytes(100_000);
        text.CopyTo(region.GetSpan(0, text.Length));

        var sqe = new byte[ZipSqe.Size];
        _ = new ZipSqe(sqe) { Layout = ZipSqeLayout.V3, RequestType = ZipRequestType.Deflate, SourceAddress = 0, InputLength = (uint)text.Length, DestinationAddress = 200_000, OutputCapacity = 300_000, Finish = true, NewStream = true };
        Assert.True(compress.TrySend(sqe));
        compress.Receive(sqe, TimeSpan.FromSeconds(10));
        uint compressed = new ZipSqe(sqe).Produced;
        Assert.True(new ZipSqe(sqe).Succeeded);

        _ = new ZipSqe(sqe) { Layout = ZipSqeLayout.V3, RequestType = ZipRequestType.Deflate, SourceAddress = 200_000, InputLength = compressed, DestinationAddress = 600_000, OutputCapacity = 200_000, Finish = true, NewStream = true, Status = ZipStatus.Ok };
        Assert.True(decompress.TrySend(sqe));
        decompress.Receive(sqe, TimeSpan.FromSeconds(10));
        var result = new ZipSqe(sqe);
        Assert.Equal(ZipStatus.DecompressEnd, result.Status);
        Assert.Equal((uint)text.Length, result.Produced);
        Assert.True(region.GetSpan(600_000, text.Length).SequenceEqual(text));
    }

    [Fact]
    public void The_pool_stages_buffers_through_the_region_and_copies_results_back()
    {
        var options = new WarpDriveOptions { SoftEngine = new SoftEngineOptions { Sva = false, WorkerCount = 1 }, SharedRegionSize = 4 << 20 };
        using var pool = new AcceleratorPool(options);
        var input = Corpus.TextBytes(300_000);
        var output = new byte[400_000];
        var request = Requests.Deflate(input, output, 6);
        pool.Run(request);
        Assert.Equal("soft-0", request.ServedBy);
        var produced = (int)Requests.Result(request).Produced;
        using var inflater = new DeflateStream(new MemoryStream(output, 0, produced), CompressionMode.Decompress);
        var back = new MemoryStream();
        inflater.CopyTo(back);
        Assert.Equal(input, back.ToArray());
    }

    [Fact]
    public void A_request_larger_than_the_region_runs_in_software_instead()
    {
        var options = new WarpDriveOptions { SoftEngine = new SoftEngineOptions { Sva = false, WorkerCount = 1 }, SharedRegionSize = 64 * 1024 };
        using var pool = new AcceleratorPool(options);
        var input = Corpus.TextBytes(100_000);
        var output = new byte[150_000];
        var request = Requests.Deflate(input, output, 1);
        pool.Run(request);
        Assert.Equal(FallbackReason.NoSharedMemory, request.Fallback);
        Assert.True(request.Succeeded);
    }
}
