using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// The real <c>pigz</c> command (installed by test.sh) against WarpDrive, both ways. pigz writes one member whose
/// deflate stream is many sync-flushed blocks compressed on several threads; that is the shape WarpDrive's own
/// chunks have, made by another implementation, and it carries no member index, so WarpDrive reads it as a stream.
/// </summary>
public sealed class PigzInteropTests
{
    private static readonly byte[] Input = Corpus.Mixed(3_000_000);

    [Theory]
    [InlineData("-6")]              // default: 128 KiB blocks, each primed with the previous 32 KiB
    [InlineData("-1 -b 32")]        // small blocks, fastest level
    [InlineData("-9 -i")]           // independent blocks (no shared dictionary)
    [InlineData("-6 -R")]           // rsyncable: block ends chosen by content
    [InlineData("-0")]              // stored blocks only
    [InlineData("-H")]              // Huffman codes only
    [InlineData("-U")]              // run-length matches only
    [InlineData("-6 -p 1")]         // one thread: a plain single stream
    public void Warpdrive_reads_pigz_gzip(string flags)
    {
        var gzip = Pigz($"-c {flags}", Input);
        Assert.Equal(Input, Streams.Decompress("gzip", gzip));
        Assert.Equal(Input, Streams.Decompress("gzip", gzip, new WarpDriveCompressionOptions { StreamDecompression = StreamDecompressionMode.Requests }));
        var oneShot = new byte[Input.Length];
        Assert.True(WarpDriveGZipDecoder.TryDecompress(gzip, oneShot, out int written));
        Assert.Equal(Input.Length, written);
        Assert.Equal(Input, oneShot);
    }

    [Fact]
    public async Task Warpdrive_reads_pigz_gzip_asynchronously_in_small_reads()
    {
        var gzip = Pigz("-c -6 -b 64", Input);
        await using var reader = new WarpDriveGZipStream(new MemoryStream(gzip), System.IO.Compression.CompressionMode.Decompress);
        Assert.Equal(Input, await Streams.ReadAllAsync(reader, 1000));
    }

    [Fact]
    public void Warpdrive_reads_zopfli_output_of_pigz()
    {
        // Level 11 is zopfli: optimal parsing with unusual block splits, slow, so a smaller input.
        var input = Input.AsSpan(0, 100_000).ToArray();
        Assert.Equal(input, Streams.Decompress("gzip", Pigz("-c -11", input)));
    }

    [Theory]
    [InlineData("-6")]
    [InlineData("-1 -i -b 32")]
    public void Warpdrive_reads_pigz_zlib(string flags)
    {
        var zlib = Pigz($"-c -z {flags}", Input);
        Assert.Equal(Input, Streams.Decompress("zlib", zlib));
    }

    [Fact]
    public void Warpdrive_reads_concatenated_pigz_members_as_one_stream()
    {
        var first = Pigz("-c -1", Input.AsSpan(0, 1_000_000).ToArray());
        var second = Pigz("-c -9 -i", Input.AsSpan(1_000_000).ToArray());
        Assert.Equal(Input, Streams.Decompress("gzip", [.. first, .. second]));
    }

    [Theory]
    [InlineData("gzip", 1)]
    [InlineData("gzip", 6)]
    [InlineData("gzip", 9)]
    [InlineData("zlib", 6)]
    public void Pigz_reads_and_tests_warpdrive_output(string format, int level)
    {
        var compressed = Streams.Compress(format, Input, level);
        string zlibFlag = format == "zlib" ? "-z " : "";
        Assert.Equal(Input, Pigz($"-dc {zlibFlag}", compressed));
        Pigz($"-t {zlibFlag}", compressed);
    }

    [Fact]
    public void Pigz_reads_warpdrive_gzip_with_many_members_and_flushes()
    {
        // Small members and a flush mid-stream: many indexed members, some ending early.
        var options = new WarpDriveCompressionOptions { ChunkSize = WarpDriveCompressionOptions.MinChunkSize, IndependentBlockSize = WarpDriveCompressionOptions.MinChunkSize };
        var buffer = new MemoryStream();
        using (var writer = new WarpDriveGZipStream(buffer, 6, options, leaveOpen: true))
        {
            writer.Write(Input.AsSpan(0, 12_345));
            writer.Flush();
            writer.Write(Input.AsSpan(12_345));
        }
        Assert.Equal(Input, Pigz("-dc", buffer.ToArray()));
    }

    [Fact]
    public void A_damaged_pigz_stream_is_reported_like_any_other()
    {
        var gzip = Pigz("-c -6", Input);
        gzip[gzip.Length / 2] ^= 0x40;
        Assert.Throws<InvalidDataException>(() => Streams.Decompress("gzip", gzip));
        Assert.Throws<InvalidDataException>(() => Streams.Decompress("gzip", gzip.AsSpan(0, gzip.Length - 3).ToArray()));
    }

    [Fact]
    public void A_zip_archive_from_pigz_is_refused_as_not_gzip()
    {
        var zip = Pigz("-c -K", Input.AsSpan(0, 100_000).ToArray());
        Assert.Throws<InvalidDataException>(() => Streams.Decompress("gzip", zip));
        Assert.Throws<InvalidDataException>(() => Streams.Decompress("zlib", zip));
    }

    private static byte[] Pigz(string arguments, byte[] stdin)
    {
        var (output, error, code) = ProcessRunner.Run("pigz", arguments, stdin);
        Assert.True(code == 0, $"pigz {arguments} exited with {code}: {error}");
        return output;
    }
}
