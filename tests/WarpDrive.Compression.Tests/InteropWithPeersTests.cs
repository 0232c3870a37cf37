using System.Diagnostics;
using System.IO.Compression;
using ICSharpCode.SharpZipLib.GZip;
using ICSharpCode.SharpZipLib.Zip.Compression;
using ICSharpCode.SharpZipLib.Zip.Compression.Streams;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>WarpDrive's output is read by SharpZipLib and the gzip command; theirs (and .NET's) is read by WarpDrive.</summary>
public sealed class InteropWithPeersTests
{
    private static readonly byte[] Input = Corpus.Mixed(6_000_000);

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(9)]
    public void SharpZipLib_reads_warpdrive_gzip_and_zlib(int level)
    {
        var gzip = Streams.Compress("gzip", Input, level);
        using (var reader = new GZipInputStream(new MemoryStream(gzip)))
            Assert.Equal(Input, ReadAll(reader));
        var zlib = Streams.Compress("zlib", Input, level);
        using (var reader = new InflaterInputStream(new MemoryStream(zlib)))
            Assert.Equal(Input, ReadAll(reader));
        var raw = Streams.Compress("deflate", Input, level);
        using (var reader = new InflaterInputStream(new MemoryStream(raw), new Inflater(noHeader: true)))
            Assert.Equal(Input, ReadAll(reader));
    }

    [Fact]
    public void Warpdrive_reads_sharpziplib_gzip_and_zlib()
    {
        var gz = new MemoryStream();
        using (var writer = new GZipOutputStream(gz) { IsStreamOwner = false })
            writer.Write(Input);
        Assert.Equal(Input, Streams.Decompress("gzip", gz.ToArray()));
        var zl = new MemoryStream();
        using (var writer = new DeflaterOutputStream(zl) { IsStreamOwner = false })
            writer.Write(Input);
        Assert.Equal(Input, Streams.Decompress("zlib", zl.ToArray()));
    }

    [Theory]
    [InlineData("gzip", CompressionLevel.Fastest)]
    [InlineData("gzip", CompressionLevel.SmallestSize)]
    [InlineData("zlib", CompressionLevel.Optimal)]
    [InlineData("deflate", CompressionLevel.Optimal)]
    [InlineData("deflate", CompressionLevel.NoCompression)]
    public void Warpdrive_reads_dotnet_output(string format, CompressionLevel level)
    {
        var compressed = Streams.CompressWithDotNet(format, Input, level);
        Assert.Equal(Input, Streams.Decompress(format, compressed));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void The_gzip_command_reads_warpdrive_gzip(int level)
    {
        var gzip = Streams.Compress("gzip", Input, level);
        var (output, error, code) = ProcessRunner.Run("gzip", "-dc", gzip);
        Assert.True(code == 0, error);
        Assert.Equal(Input, output);
        (_, error, code) = ProcessRunner.Run("gzip", "-t", gzip);
        Assert.True(code == 0, error);
    }

    [Fact]
    public void Warpdrive_reads_the_gzip_command_output_single_and_multi_member()
    {
        var (single, error, code) = ProcessRunner.Run("gzip", "-c6", Input);
        Assert.True(code == 0, error);
        Assert.Equal(Input, Streams.Decompress("gzip", single));
        // Multi-member as pigz or `cat a.gz b.gz` make it: separately compressed pieces, concatenated.
        var (a, _, _) = ProcessRunner.Run("gzip", "-c1", Input.AsSpan(0, 2_000_000).ToArray());
        var (b, _, _) = ProcessRunner.Run("gzip", "-c9", Input.AsSpan(2_000_000).ToArray());
        Assert.Equal(Input, Streams.Decompress("gzip", [.. a, .. b]));
    }

    [Fact]
    public void Multi_member_gzip_from_several_writers_decodes_as_one_stream()
    {
        var parts = new[] { Input.AsSpan(0, 1_000_000).ToArray(), Input.AsSpan(1_000_000, 3).ToArray(), Input.AsSpan(1_000_003).ToArray() };
        byte[] joined = [
            .. Streams.Compress("gzip", parts[0], 6),
            .. Streams.CompressWithDotNet("gzip", parts[1]),
            .. Streams.Compress("gzip", parts[2], 1, new WarpDriveCompressionOptions { MarkIndependentBlocks = false }),
        ];
        Assert.Equal(Input, Streams.Decompress("gzip", joined));
        Assert.Equal(Input, Streams.DecompressWithDotNet("gzip", joined));
    }

    private static byte[] ReadAll(Stream stream)
    {
        var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }
}
