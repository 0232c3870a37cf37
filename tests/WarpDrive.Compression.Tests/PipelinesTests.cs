using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using WarpDrive.Compression.Pipelines;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// The System.IO.Pipelines face of the pipeline: a compressing PipeWriter and a decompressing PipeReader over real
/// pipes, producer and consumer running at once, read back by System.IO.Compression.
/// </summary>
public sealed class PipelinesTests
{
    private static readonly byte[] Input = Corpus.Mixed(6_000_000);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Writes <paramref name="data"/> in <paramref name="piece"/>-byte GetSpan/Advance writes, flushing every <paramref name="flushEvery"/> bytes, then completes.</summary>
    private static async Task ProduceAsync(PipeWriter writer, ReadOnlyMemory<byte> data, int piece, int flushEvery, bool complete = true)
    {
        int sinceFlush = 0;
        for (int at = 0; at < data.Length; at += piece)
        {
            int n = Math.Min(piece, data.Length - at);
            data.Span.Slice(at, n).CopyTo(writer.GetSpan(n));
            writer.Advance(n);
            sinceFlush += n;
            if (sinceFlush >= flushEvery)
            {
                var result = await writer.FlushAsync();
                Assert.False(result.IsCanceled || result.IsCompleted);
                sinceFlush = 0;
            }
        }
        if (complete)
            await writer.CompleteAsync();
    }

    /// <summary>Reads until <paramref name="count"/> bytes have arrived (without completing the reader); fails rather than waits past the timeout.</summary>
    private static async Task<byte[]> ReadAtLeastAsync(PipeReader reader, int count)
    {
        var output = new MemoryStream();
        using var timeout = new CancellationTokenSource(Timeout);
        while (output.Length < count)
        {
            var result = await reader.ReadAsync(timeout.Token);
            foreach (var segment in result.Buffer)
                output.Write(segment.Span);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
                break;
        }
        return output.ToArray();
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("deflate")]
    public async Task Round_trip_through_a_pipe_with_producer_and_consumer_running_at_once(string format)
    {
        // The pipe's default backpressure (64 KiB) paces the compressor against the consumer.
        var pipe = new Pipe();
        var writer = WarpDrivePipes.CreateCompressingWriter(pipe.Writer, Pipes.Format(format), CompressionLevel.Fastest);
        var reader = WarpDrivePipes.CreateDecompressingReader(pipe.Reader, Pipes.Format(format));
        var producer = Task.Run(() => ProduceAsync(writer, Input, piece: 10_007, flushEvery: 1_500_000));
        var consumer = Task.Run(() => Pipes.DrainAsync(reader));
        await Task.WhenAll(producer, consumer).WaitAsync(Timeout);
        Assert.Equal(Input, await consumer);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("deflate")]
    public async Task System_IO_Compression_reads_the_writers_output(string format)
    {
        var pipe = new Pipe();
        var writer = WarpDrivePipes.CreateCompressingWriter(pipe.Writer, Pipes.Format(format), CompressionLevel.Optimal);
        var producer = Task.Run(async () =>
        {
            // PipeWriter.WriteAsync: write and flush in one call.
            for (int at = 0; at < Input.Length; at += 1 << 20)
                await writer.WriteAsync(Input.AsMemory(at, Math.Min(1 << 20, Input.Length - at)));
            await writer.CompleteAsync();
        });
        var consumer = Task.Run(() => Pipes.DrainAsync(pipe.Reader));
        await Task.WhenAll(producer, consumer).WaitAsync(Timeout);
        Assert.Equal(Input, Streams.DecompressWithDotNet(format, await consumer));

        // The Stream overloads: compress into a stream, read back through a PipeReader over a stream.
        var file = new MemoryStream();
        var streamWriter = WarpDrivePipes.CreateCompressingWriter(file, Pipes.Format(format), CompressionLevel.Fastest, leaveOpen: true);
        await ProduceAsync(streamWriter, Input, piece: 65_536, flushEvery: int.MaxValue).WaitAsync(Timeout);
        Assert.True(file.CanWrite); // left open
        Assert.Equal(Input, Streams.DecompressWithDotNet(format, file.ToArray()));
        var streamReader = WarpDrivePipes.CreateDecompressingReader(new MemoryStream(file.ToArray()), Pipes.Format(format));
        Assert.Equal(Input, await Pipes.DrainAsync(streamReader).WaitAsync(Timeout));
    }

    [Theory]
    [InlineData("gzip", false)]
    [InlineData("gzip", true)]
    [InlineData("zlib", true)]
    [InlineData("deflate", true)]
    public async Task FlushAsync_mid_stream_makes_everything_written_so_far_decodable(string format, bool parallelDecompression)
    {
        var first = Input.AsMemory(0, 2_500_000);
        var second = Input.AsMemory(2_500_000);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        var writer = WarpDrivePipes.CreateCompressingWriter(pipe.Writer, Pipes.Format(format), CompressionLevel.Optimal);
        await ProduceAsync(writer, first, piece: 100_000, flushEvery: int.MaxValue, complete: false);
        Assert.Equal(first.Length, writer.UnflushedBytes);
        Assert.False(pipe.Reader.TryRead(out _)); // nothing reaches the destination before a flush
        await writer.FlushAsync().AsTask().WaitAsync(Timeout);

        // Everything so far is in the pipe, and System.IO.Compression decodes all of it without the rest.
        Assert.True(pipe.Reader.TryRead(out var flushed));
        var soFar = flushed.Buffer.ToArray();
        pipe.Reader.AdvanceTo(flushed.Buffer.Start); // leave the bytes for the WarpDrive reader below
        using (var dotnet = Streams.DotNet(format, new MemoryStream(soFar), CompressionMode.Decompress))
        {
            var decoded = new byte[first.Length + 1];
            Assert.Equal(first.Length, dotnet.ReadAtLeast(decoded, decoded.Length, throwOnEndOfStream: false));
            Assert.Equal(first.ToArray(), decoded.AsSpan(0, first.Length).ToArray());
        }

        // WarpDrive's reader yields it too while the stream is still open, then the rest after the writer completes.
        var reader = WarpDrivePipes.CreateDecompressingReader(pipe.Reader, Pipes.Format(format),
            parallelDecompression ? null : new WarpDriveCompressionOptions { ParallelDecompression = false });
        var head = await ReadAtLeastAsync(reader, first.Length);
        Assert.Equal(first.ToArray(), head);
        await ProduceAsync(writer, second, piece: 100_000, flushEvery: int.MaxValue).WaitAsync(Timeout);
        var tail = await Pipes.DrainAsync(reader).WaitAsync(Timeout);
        Assert.Equal(Input, head.Concat(tail).ToArray());
    }

    [Theory]
    [InlineData("gzip", "body")]
    [InlineData("gzip", "header")]
    [InlineData("gzip", "truncated")]
    [InlineData("zlib", "body")]
    [InlineData("zlib", "header")]
    [InlineData("deflate", "truncated")]
    public async Task Corrupt_input_through_the_reader_surfaces_InvalidDataException(string format, string damage)
    {
        var compressed = Streams.Compress(format, Input.AsSpan(0, 3_000_000));
        switch (damage)
        {
            case "body":
                for (int i = compressed.Length / 2; i < (compressed.Length / 2) + 64; i++)
                    compressed[i] ^= 0x5A;
                break;
            case "header":
                compressed[0] ^= 0xFF;
                break;
            default:
                compressed = compressed.AsSpan(0, compressed.Length * 2 / 3).ToArray();
                break;
        }
        var pipe = new Pipe();
        var reader = WarpDrivePipes.CreateDecompressingReader(pipe.Reader, Pipes.Format(format));
        var producer = Task.Run(async () =>
        {
            await pipe.Writer.WriteAsync(compressed);
            await pipe.Writer.CompleteAsync();
        });
        await Assert.ThrowsAsync<InvalidDataException>(() => Pipes.DrainAsync(reader).WaitAsync(Timeout));
        await reader.CompleteAsync();
        await producer.WaitAsync(Timeout);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("deflate")]
    public async Task Empty_input_round_trips_and_completes_both_pipes(string format)
    {
        var pipe = new Pipe();
        var writer = WarpDrivePipes.CreateCompressingWriter(pipe.Writer, Pipes.Format(format), CompressionLevel.Optimal);
        await writer.FlushAsync(); // nothing buffered: nothing to do
        await writer.CompleteAsync();
        var compressed = await Pipes.DrainAsync(pipe.Reader).WaitAsync(Timeout);
        Assert.Empty(Streams.DecompressWithDotNet(format, compressed));

        var reader = WarpDrivePipes.CreateDecompressingReader(new MemoryStream(compressed), Pipes.Format(format));
        Assert.Empty(await Pipes.DrainAsync(reader).WaitAsync(Timeout));
        var emptySource = new Pipe();
        await emptySource.Writer.CompleteAsync();
        Assert.Empty(await Pipes.DrainAsync(WarpDrivePipes.CreateDecompressingReader(emptySource.Reader, Pipes.Format(format))).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_cancelled_read_waiting_for_input_throws_OperationCanceledException()
    {
        var pipe = new Pipe();
        var compressed = Streams.Compress("gzip", Input.AsSpan(0, 100_000));
        await pipe.Writer.WriteAsync(compressed.AsMemory(0, 20)); // a header's worth, then nothing more arrives
        var reader = WarpDrivePipes.CreateDecompressingReader(pipe.Reader, WarpDrivePipeFormat.GZip);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(cts.Token).AsTask().WaitAsync(Timeout));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(new CancellationToken(canceled: true)).AsTask().WaitAsync(Timeout));
        await reader.CompleteAsync();
        await pipe.Writer.CompleteAsync();
    }

    [Fact]
    public async Task A_cancelled_flush_blocked_by_backpressure_throws_and_the_consumer_sees_the_failure()
    {
        // Nobody reads the destination and it holds at most 1 KiB: the flush can only end by cancellation.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512));
        var writer = WarpDrivePipes.CreateCompressingWriter(pipe.Writer, WarpDrivePipeFormat.ZLib, CompressionLevel.Fastest);
        Input.AsSpan(0, 2_000_000).CopyTo(writer.GetSpan(2_000_000));
        writer.Advance(2_000_000);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.FlushAsync(cts.Token).AsTask().WaitAsync(Timeout));

        var failure = new IOException("producer gave up");
        await writer.CompleteAsync(failure).AsTask().WaitAsync(Timeout);
        var thrown = await Assert.ThrowsAsync<IOException>(() => Pipes.DrainAsync(pipe.Reader).WaitAsync(Timeout));
        Assert.Same(failure, thrown);
    }

    [Fact]
    public async Task A_writer_completed_with_an_exception_never_finishes_the_stream()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        var writer = WarpDrivePipes.CreateCompressingWriter(pipe.Writer, WarpDrivePipeFormat.GZip, CompressionLevel.Fastest);
        await ProduceAsync(writer, Input.AsMemory(0, 1_000_000), piece: 50_000, flushEvery: 500_000, complete: false);
        writer.GetSpan(10)[0] = 42;
        writer.Advance(1);
        await writer.CompleteAsync(new InvalidOperationException("producer failed"));
        // The consumer gets the producer's failure, not a whole-looking stream missing its end.
        await Assert.ThrowsAsync<InvalidOperationException>(() => Pipes.DrainAsync(pipe.Reader).WaitAsync(Timeout));
        Assert.Throws<InvalidOperationException>(() => writer.GetSpan());
    }

    [Fact]
    public async Task FlushResult_IsCompleted_says_the_destination_reader_has_stopped()
    {
        var pipe = new Pipe();
        var writer = WarpDrivePipes.CreateCompressingWriter(pipe.Writer, WarpDrivePipeFormat.Deflate, CompressionLevel.Fastest);
        var first = await writer.WriteAsync(Input.AsMemory(0, 10_000)).AsTask().WaitAsync(Timeout);
        Assert.False(first.IsCompleted);
        await pipe.Reader.CompleteAsync();
        var second = await writer.WriteAsync(Input.AsMemory(10_000, 10_000)).AsTask().WaitAsync(Timeout);
        Assert.True(second.IsCompleted);
        await writer.CompleteAsync();
    }

    [Fact]
    public async Task LeaveOpen_lets_two_gzip_writers_share_one_destination()
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        var a = Input.AsMemory(0, 1_200_000);
        var b = Input.AsMemory(1_200_000, 800_000);
        await ProduceAsync(WarpDrivePipes.CreateCompressingWriter(pipe.Writer, WarpDrivePipeFormat.GZip, leaveOpen: true), a, 30_000, int.MaxValue);
        await ProduceAsync(WarpDrivePipes.CreateCompressingWriter(pipe.Writer, WarpDrivePipeFormat.GZip, CompressionLevel.SmallestSize, leaveOpen: true), b, 30_000, int.MaxValue);
        Assert.True(pipe.Reader.TryRead(out var result));
        Assert.False(result.IsCompleted); // still open
        pipe.Reader.AdvanceTo(result.Buffer.Start);
        await pipe.Writer.CompleteAsync();
        // Concatenated gzip members read as one stream, by .NET and by WarpDrive.
        var compressed = await Pipes.DrainAsync(pipe.Reader);
        Assert.Equal(Input.AsSpan(0, 2_000_000).ToArray(), Streams.DecompressWithDotNet("gzip", compressed));
        Assert.Equal(Input.AsSpan(0, 2_000_000).ToArray(), await Pipes.DrainAsync(WarpDrivePipes.CreateDecompressingReader(new MemoryStream(compressed), WarpDrivePipeFormat.GZip)));

        var closed = new MemoryStream();
        await WarpDrivePipes.CreateCompressingWriter(closed, WarpDrivePipeFormat.ZLib).CompleteAsync();
        Assert.False(closed.CanWrite); // not left open: disposed
    }

    [Fact]
    public void Arguments_are_checked_when_the_adapters_are_made()
    {
        Assert.Throws<ArgumentNullException>(() => WarpDrivePipes.CreateCompressingWriter((PipeWriter)null!, WarpDrivePipeFormat.GZip));
        Assert.Throws<ArgumentNullException>(() => WarpDrivePipes.CreateDecompressingReader((Stream)null!, WarpDrivePipeFormat.GZip));
        Assert.Throws<ArgumentOutOfRangeException>(() => WarpDrivePipes.CreateCompressingWriter(new MemoryStream(), (WarpDrivePipeFormat)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => WarpDrivePipes.CreateDecompressingReader(new Pipe().Reader, (WarpDrivePipeFormat)7));
        Assert.Throws<ArgumentException>(() => WarpDrivePipes.CreateCompressingWriter(new MemoryStream([], writable: false), WarpDrivePipeFormat.ZLib));
        Assert.Throws<ArgumentOutOfRangeException>(() => WarpDrivePipes.CreateCompressingWriter(new Pipe().Writer, WarpDrivePipeFormat.Deflate, (CompressionLevel)42));
        Assert.ThrowsAny<ArgumentException>(() => WarpDrivePipes.CreateCompressingWriter(new Pipe().Writer, WarpDrivePipeFormat.GZip, options: new WarpDriveCompressionOptions { ChunkSize = 1 }));
    }
}
