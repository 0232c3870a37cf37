using System.IO.Compression;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>Any way of writing (1-byte writes to large ones, sync or async, with flushes) gives a stream every reader decodes.</summary>
public sealed class WriteShapesTests
{
    private static readonly WarpDriveCompressionOptions SmallChunks = new() { ChunkSize = 64 * 1024, IndependentBlockSize = 192 * 1024, MaxInFlight = 3 };

    [Theory]
    [InlineData("gzip", 1)]
    [InlineData("gzip", 7)]
    [InlineData("zlib", 4096)]
    [InlineData("deflate", 65536)]
    [InlineData("gzip", 65537)]
    [InlineData("deflate", 1 << 20)]
    [InlineData("gzip", 3 << 20)]
    public void Writes_of_any_size_round_trip(string format, int writeSize)
    {
        var input = Corpus.Mixed(writeSize == 1 ? 300_000 : 2_500_000);
        var output = new MemoryStream();
        using (var stream = Streams.WarpDrive(format, output, 6, SmallChunks, leaveOpen: true))
        {
            for (int at = 0; at < input.Length; at += writeSize)
            {
                if (writeSize == 1)
                    stream.WriteByte(input[at]);
                else
                    stream.Write(input, at, Math.Min(writeSize, input.Length - at));
            }
        }
        Assert.Equal(input, Streams.DecompressWithDotNet(format, output.ToArray()));
        Assert.Equal(input, Streams.Decompress(format, output.ToArray(), SmallChunks));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("deflate")]
    public async Task Async_writes_and_reads_round_trip(string format)
    {
        var input = Corpus.Mixed(2_000_000);
        var output = new MemoryStream();
        await using (var stream = Streams.WarpDrive(format, output, 6, SmallChunks, leaveOpen: true))
        {
            for (int at = 0; at < input.Length; at += 100_000)
                await stream.WriteAsync(input.AsMemory(at, Math.Min(100_000, input.Length - at)));
            await stream.FlushAsync();
        }
        await using var reader = Streams.WarpDriveReader(format, new MemoryStream(output.ToArray()), SmallChunks);
        Assert.Equal(input, await Streams.ReadAllAsync(reader, 70_000));
        Assert.Equal(input, Streams.DecompressWithDotNet(format, output.ToArray()));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("deflate")]
    public void Empty_input_gives_empty_output_and_empty_output_reads_as_empty(string format)
    {
        Assert.Empty(Streams.Compress(format, []));
        Assert.Empty(Streams.CompressWithDotNet(format, []));
        Assert.Empty(Streams.Decompress(format, []));
        Assert.Empty(Streams.Decompress(format, [], new WarpDriveCompressionOptions { ThrowOnTruncatedInput = false }));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    [InlineData("deflate")]
    public void Flush_makes_everything_written_so_far_decodable(string format)
    {
        var input = Corpus.TextBytes(300_000);
        var output = new MemoryStream();
        using var stream = Streams.WarpDrive(format, output, 6, SmallChunks, leaveOpen: true);
        stream.Write(input, 0, 100_000);
        stream.Flush();
        var partial = output.ToArray();
        // What is out so far decodes to exactly what was written, by a lenient reader (System.IO.Compression).
        using (var reader = Streams.DotNet(format, new MemoryStream(partial), CompressionMode.Decompress))
        {
            var got = new byte[200_000];
            int total = 0, n;
            while ((n = reader.Read(got, total, got.Length - total)) > 0)
                total += n;
            Assert.Equal(input.AsSpan(0, 100_000).ToArray(), got.AsSpan(0, total).ToArray());
        }
        stream.Flush(); // nothing new: nothing more written, as System.IO.Compression does
        Assert.Equal(partial.Length, output.Length);
        stream.Write(input, 100_000, 200_000);
        stream.Flush();
        stream.Dispose();
        Assert.Equal(input, Streams.DecompressWithDotNet(format, output.ToArray()));
        Assert.Equal(input, Streams.Decompress(format, output.ToArray()));
    }

    [Fact]
    public void Incompressible_input_fits_the_chunk_bound_at_every_level()
    {
        var random = new byte[700_000];
        new Random(7).NextBytes(random);
        for (int level = 0; level <= 9; level++)
        {
            var compressed = Streams.Compress("gzip", random, level, SmallChunks);
            Assert.Equal(random, Streams.DecompressWithDotNet("gzip", compressed));
        }
    }
}
