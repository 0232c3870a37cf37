using System.IO.Compression;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Devices.Soft;
using WarpDrive.Scheduling;
using WarpDrive.Tests;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// Data without a member index decompressed as stream-mode ZIP requests: the device keeps the stream's state between
/// requests, the reader may change threads between them, bad data keeps its exception, and a device lost mid-stream
/// is reported rather than papered over.
/// </summary>
public sealed class StreamModeDecompressionTests : IDisposable
{
    private static readonly byte[] Input = Corpus.Mixed(3_000_000);
    private readonly AcceleratorPool _pool = new(new WarpDriveOptions
    {
        RequestTimeout = TimeSpan.FromMilliseconds(200),
        SoftEngine = new SoftEngineOptions { WorkerCount = 2, QueueDepth = 16 },
    });

    public void Dispose() => _pool.Dispose();

    private WarpDriveCompressionOptions Requests() => new() { Pool = _pool, StreamDecompression = StreamDecompressionMode.Requests };

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("deflate")]
    public void Foreign_streams_decode_through_stream_mode_requests(string format)
    {
        var compressed = Streams.CompressWithDotNet(format, Input);
        Assert.Equal(Input, Streams.Decompress(format, compressed, Requests()));
    }

    [Fact]
    public async Task An_async_reader_that_changes_threads_between_requests_continues_the_stream()
    {
        var compressed = Streams.CompressWithDotNet("gzip", Input);
        await using var reader = Streams.WarpDriveReader("gzip", new MemoryStream(compressed), Requests());
        var output = new MemoryStream();
        var buffer = new byte[50_000];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
            await Task.Yield(); // resume on another pool thread, so the next request goes out on another queue
        }
        Assert.Equal(Input, output.ToArray());
    }

    [Fact]
    public void Concatenated_members_without_an_index_each_start_a_new_stream()
    {
        var first = Streams.CompressWithDotNet("gzip", Input.AsSpan(0, 1_000_000));
        var second = Streams.CompressWithDotNet("gzip", Input.AsSpan(1_000_000));
        Assert.Equal(Input, Streams.Decompress("gzip", [.. first, .. second], Requests()));
    }

    [Fact]
    public void Corrupt_and_truncated_streams_keep_their_exceptions()
    {
        var compressed = Streams.CompressWithDotNet("gzip", Input);
        var corrupt = compressed.ToArray();
        corrupt[compressed.Length / 2] ^= 0x55;
        Assert.Throws<InvalidDataException>(() => Streams.Decompress("gzip", corrupt, Requests()));
        Assert.Throws<InvalidDataException>(() => Streams.Decompress("gzip", compressed[..(compressed.Length / 2)], Requests()));
    }

    [Fact]
    public void The_device_really_serves_the_stream()
    {
        // An error status from the device is what a stream-mode reader sees (a device error, not corrupt data);
        // the in-process reader never asks it.
        var compressed = Streams.CompressWithDotNet("gzip", Input);
        _pool.SoftEngine().Faults.Arm(SoftFault.ErrorStatus);
        var error = Assert.Throws<IOException>(() => Streams.Decompress("gzip", compressed, Requests()));
        Assert.Contains("status 0x22", error.Message);
        _pool.SoftEngine().Faults.Clear();
        _pool.SoftEngine().Faults.Arm(SoftFault.ErrorStatus);
        var inProcess = new WarpDriveCompressionOptions { Pool = _pool, StreamDecompression = StreamDecompressionMode.InProcess };
        Assert.Equal(Input, Streams.Decompress("gzip", compressed, inProcess));
    }

    [Fact]
    public void A_device_lost_mid_stream_fails_the_read_with_an_io_exception_after_intact_output()
    {
        var compressed = Streams.CompressWithDotNet("gzip", Input);
        using var reader = Streams.WarpDriveReader("gzip", new MemoryStream(compressed), Requests());
        var head = new byte[100_000];
        reader.ReadExactly(head);
        Assert.Equal(Input.AsSpan(0, head.Length).ToArray(), head);
        // The next request stalls past the timeout: the pool gives the queue up and the stream's state with it.
        _pool.SoftEngine().Faults.StallDuration = TimeSpan.FromSeconds(3);
        _pool.SoftEngine().Faults.Arm(SoftFault.Stall);
        var error = Assert.Throws<IOException>(() => reader.CopyTo(Stream.Null));
        Assert.IsNotType<InvalidDataException>(error);
    }

    [Fact]
    public void Auto_inflates_in_process_when_only_the_soft_engine_serves()
    {
        var compressed = Streams.CompressWithDotNet("gzip", Input);
        _pool.SoftEngine().Faults.Arm(SoftFault.ErrorStatus);
        Assert.Equal(Input, Streams.Decompress("gzip", compressed, new WarpDriveCompressionOptions { Pool = _pool }));
    }
}
