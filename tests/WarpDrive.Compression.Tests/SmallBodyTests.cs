using System.IO.Compression;
using System.IO.Pipelines;
using WarpDrive.Compression.Pipelines;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Devices.Soft.Engines.Deflate;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// Bodies on both sides of the inline threshold and of the chunk size, through every API: the same meaning either
/// way, and every peer reads them.
/// </summary>
public sealed class SmallBodyTests
{
    private const int Threshold = 4096;
    private const int Chunk = 64 * 1024;
    private static readonly WarpDriveCompressionOptions Options = new() { ChunkSize = Chunk, IndependentBlockSize = Chunk, InlineThreshold = Threshold };
    private static readonly WarpDriveCompressionOptions NoInline = new() { ChunkSize = Chunk, IndependentBlockSize = Chunk, InlineThreshold = 0 };

    public static TheoryData<string, int> Sizes()
    {
        var data = new TheoryData<string, int>();
        foreach (var format in new[] { "gzip", "zlib", "deflate" })
        {
            foreach (int size in new[] { 0, 1, Threshold - 1, Threshold, Threshold + 1, Chunk - 1, Chunk, Chunk + 1 })
                data.Add(format, size);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Streams_and_the_one_shot_encoder_agree_on_both_sides_of_the_threshold(string format, int size)
    {
        var body = Corpus.TextBytes(size);
        var inline = Streams.Compress(format, body, 6, Options);
        var queued = Streams.Compress(format, body, 6, NoInline);
        // The same codec either way: in line or through a queue, the bytes are the same.
        Assert.Equal(queued, inline);
        Assert.Equal(body, Streams.DecompressWithDotNet(format, inline));
        Assert.Equal(body, Streams.Decompress(format, inline, Options));

        var buffer = new byte[OneShotMax(format, size)];
        int written = format switch
        {
            "gzip" => WarpDriveGZipEncoder.TryCompress(body, buffer, out int g, 1, Options) ? g : -1,
            "zlib" => WarpDriveZLibEncoder.TryCompress(body, buffer, out int z, 1, Options) ? z : -1,
            _ => WarpDriveDeflateEncoder.TryCompress(body, buffer, out int d, 1, Options) ? d : -1,
        };
        Assert.True(written >= 0);
        Assert.Equal(body, Streams.DecompressWithDotNet(format, buffer.AsSpan(0, written).ToArray()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(DeflateCodecs.IsalMinimumInput - 1)]
    [InlineData(DeflateCodecs.IsalMinimumInput)]
    [InlineData(DeflateCodecs.IsalMinimumInput + 1)]
    [InlineData(DeflateCodecs.QuickMaximumInput - 1)]
    [InlineData(DeflateCodecs.QuickMaximumInput)]
    [InlineData(DeflateCodecs.QuickMaximumInput + 1)]
    public void Level_1_on_both_sides_of_the_codec_crossovers_reads_back_everywhere(int size)
    {
        // A whole body below the quick crossover runs on ISA-L's level 0, from it on ISA-L's level 1 (where it
        // loads); chunks that are not whole bodies switch from zlib-ng to ISA-L at the other crossover. The same
        // meaning every way, and every reader takes it: text, and bytes no codec can shrink.
        foreach (var body in new[] { Corpus.TextBytes(size), Corpus.BinaryBytes(size) })
        {
            foreach (var options in new[] { NoInline, Options })
            {
                var gzip = Streams.Compress("gzip", body, 1, options);
                Assert.Equal(body, Streams.DecompressWithDotNet("gzip", gzip));
                if (size == 0)
                {
                    // Nothing written, nothing out: GZipStream's behaviour, and nothing for gzip -d to read.
                    Assert.Empty(gzip);
                    continue;
                }
                var (output, error, code) = ProcessRunner.Run("gzip", "-dc", gzip);
                Assert.True(code == 0, error);
                Assert.Equal(body, output);
            }
            var zlib = Streams.Compress("zlib", body, 1, Options);
            Assert.Equal(body, Streams.DecompressWithDotNet("zlib", zlib));
            Assert.Equal(body, Streams.Decompress("zlib", zlib, Options));
        }
    }

    [Theory]
    [InlineData(2, 100)]
    [InlineData(6, 0)]
    [InlineData(6, 1)]
    [InlineData(6, DeflateCodecs.SmallMaximumInput - 1)]
    [InlineData(6, DeflateCodecs.SmallMaximumInput)]
    [InlineData(6, DeflateCodecs.SmallMaximumInput + 1)]
    [InlineData(9, DeflateCodecs.SmallMaximumInput - 1)]
    public void Levels_2_to_9_on_both_sides_of_the_small_body_crossover_read_back_everywhere(int level, int size)
    {
        // A whole body below the crossover runs on the system zlib (where it loads), from it on zlib-ng: either way
        // standard output every reader takes.
        foreach (var body in new[] { Corpus.TextBytes(size), Corpus.BinaryBytes(size) })
        {
            var gzip = Streams.Compress("gzip", body, level, Options);
            Assert.Equal(body, Streams.DecompressWithDotNet("gzip", gzip));
            Assert.Equal(body, Streams.Decompress("gzip", gzip, Options));
            if (size > 0)
            {
                var (output, error, code) = ProcessRunner.Run("gzip", "-dc", gzip);
                Assert.True(code == 0, error);
                Assert.Equal(body, output);
            }
            var zlib = Streams.Compress("zlib", body, level, NoInline);
            Assert.Equal(body, Streams.DecompressWithDotNet("zlib", zlib));
            var buffer = new byte[OneShotMax("deflate", size)];
            Assert.True(WarpDriveDeflateEncoder.TryCompress(body, buffer, out int written, level, Options));
            Assert.Equal(body, Streams.DecompressWithDotNet("deflate", buffer.AsSpan(0, written).ToArray()));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Threshold)]
    [InlineData(Threshold + 1)]
    [InlineData(Chunk + 1)]
    public void The_gzip_command_reads_them(int size)
    {
        var body = Corpus.TextBytes(size);
        var gzip = Streams.Compress("gzip", body, 6, Options);
        var (output, error, code) = ProcessRunner.Run("gzip", "-dc", gzip);
        Assert.True(code == 0, error);
        Assert.Equal(body, output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(Threshold - 1)]
    [InlineData(Chunk + 1)]
    public async Task The_pipe_writer_and_the_asynchronous_stream_agree_with_the_synchronous_one(int size)
    {
        var body = Corpus.TextBytes(size);
        var expected = Streams.Compress("gzip", body, 6, Options);
        var output = new MemoryStream();
        await using (var stream = new WarpDriveGZipStream(output, 6, Options, leaveOpen: true))
            await stream.WriteAsync(body);
        Assert.Equal(expected, output.ToArray());

        var piped = new MemoryStream();
        var writer = WarpDrivePipes.CreateCompressingWriter(piped, WarpDrivePipeFormat.GZip, CompressionLevel.Optimal, Options, leaveOpen: true);
        await writer.WriteAsync(body);
        await writer.CompleteAsync();
        Assert.Equal(body, Streams.DecompressWithDotNet("gzip", piped.ToArray()));
    }

    [Fact]
    public void A_flush_on_a_small_live_stream_makes_everything_so_far_decodable()
    {
        var output = new MemoryStream();
        using var stream = new WarpDriveGZipStream(output, 6, Options, leaveOpen: true);
        stream.Write("hello, "u8);
        stream.Flush();
        var soFar = output.ToArray();
        using (var reader = new GZipStream(new MemoryStream(soFar), CompressionMode.Decompress))
        {
            var decoded = new byte[7];
            Assert.Equal(7, reader.ReadAtLeast(decoded, 7, throwOnEndOfStream: false));
            Assert.Equal("hello, "u8.ToArray(), decoded);
        }
        stream.Write("world"u8);
        stream.Dispose();
        Assert.Equal("hello, world"u8.ToArray(), Streams.DecompressWithDotNet("gzip", output.ToArray()));
    }

    [Fact]
    public void A_stream_that_ends_right_after_a_flush_closes_with_an_empty_final_block_every_reader_takes()
    {
        var output = new MemoryStream();
        using (var stream = new WarpDriveGZipStream(output, 1, Options, leaveOpen: true))
        {
            stream.Write(Corpus.TextBytes(5000));
            stream.Flush();
        }
        var gzip = output.ToArray();
        Assert.Equal(new byte[] { 0x03, 0x00 }, gzip[^10..^8]); // the final block, then CRC-32 and ISIZE
        Assert.Equal(Corpus.TextBytes(5000), Streams.DecompressWithDotNet("gzip", gzip));
        var (decoded, error, code) = ProcessRunner.Run("gzip", "-dc", gzip);
        Assert.True(code == 0, error);
        Assert.Equal(Corpus.TextBytes(5000), decoded);
    }

    [Theory]
    [InlineData(1, 1024)]
    [InlineData(6, 1024)]
    [InlineData(1, 20_000)]
    [InlineData(6, 3000)]
    public async Task A_response_that_flushes_after_its_body_reaches_the_base_stream_in_two_writes(int level, int size)
    {
        // What ASP.NET Core's response compression sees behind YARP: the body, a flush, the end. Each write to a
        // response is a chunk and a TLS record of its own; the gzip header, body, final block and trailer gather into
        // one write at the flush and one at the end. A stream flushed before its first chunk filled carries the plain
        // header (no block mark) and starts from nothing, on the small-body codecs.
        var body = Corpus.TextBytes(size);
        var output = new CountingStream();
        await using (var stream = new WarpDriveGZipStream(output, level, Options, leaveOpen: true))
        {
            await stream.WriteAsync(body);
            await stream.FlushAsync();
            Assert.Equal(1, output.Writes);
            var soFar = output.ToArray();
            Assert.Equal(0, soFar[3]); // FLG: no extra field
            using var reader = new GZipStream(new MemoryStream(soFar), CompressionMode.Decompress);
            var decoded = new byte[size];
            Assert.Equal(size, reader.ReadAtLeast(decoded, size, throwOnEndOfStream: false));
            Assert.Equal(body, decoded);
        }
        Assert.Equal(2, output.Writes);
        var gzip = output.ToArray();
        Assert.Equal(body, Streams.DecompressWithDotNet("gzip", gzip));
        var (whole, error, code) = ProcessRunner.Run("gzip", "-dc", gzip);
        Assert.True(code == 0, error);
        Assert.Equal(body, whole);
    }

    /// <summary>A memory stream that counts the writes it was given (a write that forwards to another counts once).</summary>
    private sealed class CountingStream : MemoryStream
    {
        private int _depth;

        public int Writes { get; private set; }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var copy = buffer.ToArray();
            Count(() => base.Write(copy, 0, copy.Length));
        }

        public override void Write(byte[] buffer, int offset, int count) => Count(() => base.Write(buffer, offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count(() => base.Write(buffer.ToArray(), 0, buffer.Length));
            return default;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Count(() => base.Write(buffer, offset, count));
            return Task.CompletedTask;
        }

        private void Count(Action write)
        {
            if (_depth++ == 0)
                Writes++;
            try
            {
                write();
            }
            finally
            {
                _depth--;
            }
        }
    }

    private static long OneShotMax(string format, int size) => format switch
    {
        "gzip" => WarpDriveGZipEncoder.GetMaxCompressedLength(size),
        "zlib" => WarpDriveZLibEncoder.GetMaxCompressedLength(size),
        _ => WarpDriveDeflateEncoder.GetMaxCompressedLength(size),
    };
}
