using System.IO.Compression;
using WarpDrive.Drivers.Qm;
using WarpDrive.Scheduling;
using WarpDrive.Tests.Helpers;
using WarpDrive.Tests.Infrastructure;

namespace WarpDrive.Tests.Devices.Soft;

/// <summary>The soft engine's ZIP requests produce streams standard inflaters read, and read theirs.</summary>
public sealed class SoftZipEngineTests : IDisposable
{
    private static readonly byte[] GzipHeader = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03];
    private static readonly byte[] ZlibHeader = [0x78, 0x9c];
    private readonly AcceleratorPool _pool = new(new WarpDriveOptions { SoftEngine = new() { WorkerCount = 2 } });

    public void Dispose() => _pool.Dispose();

    [Theory]
    [InlineData(ZipRequestType.Gzip, 1)]
    [InlineData(ZipRequestType.Gzip, 6)]
    [InlineData(ZipRequestType.Gzip, 9)]
    [InlineData(ZipRequestType.Zlib, 6)]
    [InlineData(ZipRequestType.Deflate, 1)]
    public void Stateless_compression_with_a_software_header_is_read_by_dotnet(ZipRequestType type, int level)
    {
        var input = Corpus.TextBytes(200_000);
        var output = new byte[220_000];
        var request = Requests.Deflate(input, output, level, type);
        _pool.Run(request);
        Assert.True(request.Succeeded);
        var body = output.AsSpan(0, (int)Requests.Result(request).Produced).ToArray();
        Assert.Equal(input, Inflate(type, body));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4095)]
    [InlineData(16383)]
    public void A_small_whole_body_at_level_1_is_standard_deflate_and_a_short_output_is_a_status(int size)
    {
        // Below the quick crossover, level 1 runs on ISA-L's level 0 in one stateless call (where ISA-L loads).
        foreach (var input in new[] { Corpus.TextBytes(size), Corpus.BinaryBytes(size) })
        {
            var output = new byte[size + 1024];
            var request = Requests.Deflate(input, output, 1);
            _pool.Run(request);
            Assert.True(request.Succeeded, $"status {Requests.Result(request).Status}");
            Assert.Equal(input, Inflate(ZipRequestType.Deflate, output.AsSpan(0, (int)Requests.Result(request).Produced).ToArray()));

            // Room for a few bytes only: the engine says so instead of writing past it or returning a cut stream.
            var tiny = new byte[4];
            var cramped = Requests.Deflate(input, tiny, 1);
            _pool.Run(cramped);
            Assert.Equal(ZipStatus.OutputTooSmall, Requests.Result(cramped).Status);
        }
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(6, 100)]
    [InlineData(6, 2047)]
    [InlineData(6, 2048)]
    [InlineData(9, 1500)]
    public void A_small_whole_body_at_levels_2_to_9_is_standard_deflate_and_a_short_output_is_a_status(int level, int size)
    {
        // Below the small-body crossover these run on the system zlib, reset between bodies (where it loads); from
        // it on zlib-ng. A thread's compressor is reused, so each body runs twice: the second must not see the first.
        foreach (var input in new[] { Corpus.TextBytes(size), Corpus.BinaryBytes(size) })
        {
            for (int round = 0; round < 2; round++)
            {
                var output = new byte[size + 1024];
                var request = Requests.Deflate(input, output, level);
                _pool.Run(request);
                Assert.True(request.Succeeded, $"status {Requests.Result(request).Status}");
                Assert.Equal(input, Inflate(ZipRequestType.Deflate, output.AsSpan(0, (int)Requests.Result(request).Produced).ToArray()));
            }
            var tiny = new byte[2]; // a one-byte body takes three
            var cramped = Requests.Deflate(input, tiny, level);
            _pool.Run(cramped);
            Assert.Equal(ZipStatus.OutputTooSmall, Requests.Result(cramped).Status);
        }
    }

    [Fact]
    public void Stream_mode_compression_across_requests_and_queues_forms_one_gzip_stream()
    {
        using var device = new WarpDrive.Devices.Soft.SoftDevice(new() { WorkerCount = 1, QueueDepth = 8 });
        // The stream's state is named by its context buffer, not held by a queue: a caller whose thread (and so
        // queue) changes between requests continues the same stream.
        using var first = device.OpenQueue("gzip");
        using var second = device.OpenQueue("gzip");
        var input = Corpus.BinaryBytes(300_000);
        var output = new byte[400_000];
        var context = new byte[64];
        int produced = 0;
        unsafe
        {
            fixed (byte* src = input)
            fixed (byte* dst = output)
            fixed (byte* ctx = context)
            {
                var sqe = new byte[ZipSqe.Size];
                uint checksum = 0, size = 0;
                for (int part = 0; part < 3; part++)
                {
                    var queue = part == 1 ? second : first;
                    int from = part * 100_000;
                    _ = new ZipSqe(sqe)
                    {
                        Layout = ZipSqeLayout.V3, RequestType = ZipRequestType.Gzip, StreamMode = true, NewStream = part == 0,
                        Finish = part == 2, SourceAddress = (ulong)(src + from), InputLength = 100_000,
                        DestinationAddress = (ulong)(dst + produced), OutputCapacity = (uint)(output.Length - produced),
                        StreamContextAddress = (ulong)ctx, Checksum = checksum, InputSize = size, Level = 6,
                    };
                    Assert.True(queue.TrySend(sqe));
                    queue.Receive(sqe, TimeSpan.FromSeconds(10));
                    var result = new ZipSqe(sqe);
                    Assert.True(result.Succeeded);
                    Assert.Equal(100_000u, result.Consumed);
                    checksum = result.Checksum;
                    size = result.InputSize;
                    produced += (int)result.Produced;
                }
            }
        }
        Assert.Equal(input, Inflate(ZipRequestType.Gzip, output.AsSpan(0, produced).ToArray()));
    }

    [Theory]
    [InlineData(1, 3000)]     // a first piece under 32 KiB: ISA-L's level 0 with fixed codes carries the stream
    [InlineData(1, 100_000)]  // ISA-L's level 1
    [InlineData(6, 3000)]     // zlib-ng
    public void A_stream_primed_at_its_start_continues_the_stream_its_dictionary_ended(int level, int firstPiece)
    {
        // What came before goes as one stored block (byte-aligned, as a sync flush leaves it); the stream-mode
        // requests carry its last 32 KiB as dictionary on their first request only. Run twice: the second stream
        // takes the compressor the first gave back, and must not depend on it.
        using var device = new WarpDrive.Devices.Soft.SoftDevice(new() { WorkerCount = 1, QueueDepth = 8 });
        using var queue = device.OpenQueue("deflate");
        var input = Corpus.TextBytes(40_000 + firstPiece + 60_000, 7);
        byte[] before = [0x00, 0x40, 0x9c, 0xbf, 0x63, .. input.AsSpan(0, 40_000)]; // stored, 40,000 bytes
        int[] pieces = [firstPiece, 50_000, 10_000];
        byte[] Run()
        {
            var output = new byte[200_000];
            var context = new byte[64];
            int produced = 0, at = 40_000;
            unsafe
            {
                fixed (byte* src = input)
                fixed (byte* dst = output)
                fixed (byte* ctx = context)
                {
                    var sqe = new byte[ZipSqe.Size];
                    for (int part = 0; part < pieces.Length; part++)
                    {
                        int dictionary = part == 0 ? 32 * 1024 : 0;
                        _ = new ZipSqe(sqe)
                        {
                            Layout = ZipSqeLayout.V3, RequestType = ZipRequestType.Deflate, StreamMode = true, NewStream = part == 0,
                            Finish = part == pieces.Length - 1, SourceAddress = (ulong)(src + at - dictionary),
                            InputLength = (uint)(dictionary + pieces[part]), DictionaryLength = (uint)dictionary,
                            DestinationAddress = (ulong)(dst + produced), OutputCapacity = (uint)(output.Length - produced),
                            StreamContextAddress = (ulong)ctx, Level = level,
                        };
                        Assert.True(queue.TrySend(sqe));
                        queue.Receive(sqe, TimeSpan.FromSeconds(10));
                        var result = new ZipSqe(sqe);
                        Assert.True(result.Succeeded);
                        Assert.Equal((uint)(dictionary + pieces[part]), result.Consumed);
                        produced += (int)result.Produced;
                        at += pieces[part];
                    }
                }
            }
            return output.AsSpan(0, produced).ToArray();
        }
        var once = Run();
        Assert.Equal(input, Inflate(ZipRequestType.Deflate, [.. before, .. once]));
        Assert.Equal(once, Run());
    }

    [Fact]
    public void A_stream_continuation_the_device_holds_no_state_for_reports_a_lost_stream()
    {
        using var device = new WarpDrive.Devices.Soft.SoftDevice(new() { WorkerCount = 1, QueueDepth = 8 });
        using var queue = device.OpenQueue("gzip", queueType: 1);
        var input = new byte[16];
        var output = new byte[64];
        var context = new byte[64]; // never started: as if the stream began on a device that has since failed
        unsafe
        {
            fixed (byte* src = input)
            fixed (byte* dst = output)
            fixed (byte* ctx = context)
            {
                var sqe = new byte[ZipSqe.Size];
                _ = new ZipSqe(sqe)
                {
                    Layout = ZipSqeLayout.V3, RequestType = ZipRequestType.Gzip, StreamMode = true, NewStream = false,
                    SourceAddress = (ulong)src, InputLength = 16, DestinationAddress = (ulong)dst, OutputCapacity = 64,
                    StreamContextAddress = (ulong)ctx,
                };
                Assert.True(queue.TrySend(sqe));
                queue.Receive(sqe, TimeSpan.FromSeconds(10));
                Assert.Equal(ZipStatus.StreamLost, new ZipSqe(sqe).Status);
            }
        }
    }

    [Fact]
    public void Decompression_reads_dotnet_deflate_and_reports_the_checksum_for_software_to_check()
    {
        var input = Corpus.TextBytes(150_000);
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(input);
        var bytes = compressed.ToArray();
        var body = bytes.AsSpan(10, bytes.Length - 18).ToArray();
        var output = new byte[input.Length];
        var request = Decompress(ZipRequestType.Gzip, body, output);
        _pool.Run(request);
        var result = Requests.Result(request);
        Assert.Equal(ZipStatus.DecompressEnd, result.Status);
        Assert.True(result.LastBlock);
        Assert.Equal((uint)input.Length, result.Produced);
        Assert.Equal(input, output);
        Assert.Equal(BitConverter.ToUInt32(bytes, bytes.Length - 8), result.Checksum);
        Assert.Equal((uint)input.Length, result.InputSize);
    }

    [Fact]
    public void Corrupt_and_truncated_deflate_come_back_as_an_error_status()
    {
        var input = Corpus.TextBytes(50_000);
        var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            deflate.Write(input);
        var good = compressed.ToArray();

        var truncated = good.AsSpan(0, good.Length / 2).ToArray();
        var request = Decompress(ZipRequestType.Deflate, truncated, new byte[input.Length]);
        _pool.Run(request);
        Assert.Equal(ZipStatus.CrcError, Requests.Result(request).Status);

        var garbage = Enumerable.Repeat((byte)0xff, 1000).ToArray();
        request = Decompress(ZipRequestType.Deflate, garbage, new byte[input.Length]);
        _pool.Run(request);
        Assert.Equal(ZipStatus.CrcError, Requests.Result(request).Status);
    }

    [Fact]
    public void Too_small_an_output_is_reported_not_overrun()
    {
        var input = Corpus.BinaryBytes(100_000);
        var output = new byte[1000];
        var request = Requests.Deflate(input, output, 6);
        _pool.Run(request);
        Assert.Equal(ZipStatus.OutputTooSmall, Requests.Result(request).Status);
    }

    private static AcceleratorRequest Decompress(ZipRequestType type, byte[] input, byte[] output)
    {
        var request = new AcceleratorRequest(type.ToString().ToLowerInvariant(), queueType: 1);
        _ = new ZipSqe(request.Sqe)
        {
            Layout = ZipSqeLayout.V3, RequestType = type, InputLength = (uint)input.Length,
            OutputCapacity = (uint)output.Length, NewStream = true, Finish = true,
        };
        request.AttachBuffer(ZipSqe.SourceAddressOffset, input, BufferAccess.Read);
        request.AttachBuffer(ZipSqe.DestinationAddressOffset, output, BufferAccess.Write);
        return request;
    }

    private static byte[] Inflate(ZipRequestType type, byte[] body)
    {
        var framed = type switch
        {
            ZipRequestType.Gzip => [.. GzipHeader, .. body],
            ZipRequestType.Zlib => [.. ZlibHeader, .. body],
            _ => body,
        };
        Stream inflater = type switch
        {
            ZipRequestType.Gzip => new GZipStream(new MemoryStream(framed), CompressionMode.Decompress),
            ZipRequestType.Zlib => new ZLibStream(new MemoryStream(framed), CompressionMode.Decompress),
            _ => new DeflateStream(new MemoryStream(framed), CompressionMode.Decompress),
        };
        using (inflater)
        {
            var result = new MemoryStream();
            inflater.CopyTo(result);
            return result.ToArray();
        }
    }
}
