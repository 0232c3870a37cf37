using System.IO.Compression;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>Corrupt, truncated and mislabelled input gets InvalidDataException, never a hang or a short result.</summary>
public sealed class BadInputTests
{
    private static readonly byte[] Input = Corpus.Mixed(1_500_000);
    private static readonly WarpDriveCompressionOptions Lenient = new() { ThrowOnTruncatedInput = false };
    private static readonly WarpDriveCompressionOptions Small = new() { ChunkSize = 64 * 1024, IndependentBlockSize = 256 * 1024 };

    public static TheoryData<string, bool> Sources() => new()
    {
        { "gzip", true }, { "gzip", false }, { "zlib", true }, { "zlib", false }, { "deflate", true }, { "deflate", false },
    };

    private static byte[] Compressed(string format, bool warpdrive) =>
        warpdrive ? Streams.Compress(format, Input, 6, Small) : Streams.CompressWithDotNet(format, Input);

    [Theory]
    [MemberData(nameof(Sources))]
    public void Truncated_input_throws_by_default_and_reads_short_when_lenient(string format, bool warpdrive)
    {
        var compressed = Compressed(format, warpdrive);
        foreach (int cut in new[] { 1, 5, compressed.Length / 3, compressed.Length / 2, compressed.Length - 9, compressed.Length - 1 })
        {
            var truncated = compressed.AsSpan(0, cut).ToArray();
            if (format == "deflate" && cut == compressed.Length - 1 && warpdrive)
                continue; // a raw stream may end in padding bits only a trailer would vouch for
            Assert.Throws<InvalidDataException>(() => Streams.Decompress(format, truncated));
            var lenient = Streams.Decompress(format, truncated, Lenient);
            Assert.True(lenient.Length <= Input.Length);
            Assert.Equal(Input.AsSpan(0, lenient.Length).ToArray(), lenient);
        }
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("zlib")]
    public void A_wrong_checksum_throws(string format)
    {
        foreach (bool warpdrive in new[] { true, false })
        {
            var compressed = Compressed(format, warpdrive);
            compressed[^(format == "gzip" ? 6 : 1)] ^= 0x40;
            Assert.Throws<InvalidDataException>(() => Streams.Decompress(format, compressed));
        }
    }

    [Fact]
    public void A_wrong_gzip_size_throws()
    {
        var compressed = Streams.CompressWithDotNet("gzip", Input);
        compressed[^2] ^= 1;
        Assert.Throws<InvalidDataException>(() => Streams.Decompress("gzip", compressed));
    }

    [Theory]
    [InlineData("gzip", 0)]
    [InlineData("gzip", 2)]
    [InlineData("gzip", 3)]
    [InlineData("zlib", 0)]
    [InlineData("zlib", 1)]
    public void A_wrong_header_throws(string format, int at)
    {
        var compressed = Streams.Compress(format, Input, 6, Small);
        compressed[at] ^= (byte)(at == 3 ? 0xe0 : 0x11);
        Assert.Throws<InvalidDataException>(() => Streams.Decompress(format, compressed));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Flipped_bits_in_the_body_throw(string format, bool warpdrive)
    {
        var compressed = Compressed(format, warpdrive);
        var random = new Random(format.Length + (warpdrive ? 1 : 0));
        int detected = 0;
        for (int i = 0; i < 20; i++)
        {
            var bad = (byte[])compressed.Clone();
            bad[random.Next(40, bad.Length - 40)] ^= (byte)(1 << random.Next(8));
            try
            {
                var output = Streams.Decompress(format, bad);
                // Raw deflate has no checksum: a flip may decode to other bytes, never silently to the same length.
                Assert.Equal("deflate", format);
                Assert.NotEqual(Input, output);
            }
            catch (InvalidDataException)
            {
                detected++;
            }
        }
        if (format != "deflate")
            Assert.Equal(20, detected);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Trailing_garbage_is_ignored_as_system_io_compression_ignores_it(string format, bool warpdrive)
    {
        var compressed = Compressed(format, warpdrive);
        byte[] withGarbage = [.. compressed, 0x00, 0x13, 0x37, 0xff, 0x1f];
        Assert.Equal(Input, Streams.DecompressWithDotNet(format, withGarbage));
        Assert.Equal(Input, Streams.Decompress(format, withGarbage));
    }

    [Theory]
    [InlineData(new byte[] { 0x1f })]
    [InlineData(new byte[] { 0x1f, 0x8b })]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0x00 })]
    [InlineData(new byte[] { 0x00 })]
    public void The_start_of_another_gzip_header_after_a_member_is_trailing_data(byte[] trailing)
    {
        foreach (bool warpdrive in new[] { false, true })
        {
            byte[] gzip = [.. Compressed("gzip", warpdrive), .. trailing];
            Assert.Equal(Input, Streams.DecompressWithDotNet("gzip", gzip));
            Assert.Equal(Input, Streams.Decompress("gzip", gzip));
            using var reader = new WarpDriveGZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
            reader.CopyTo(Stream.Null);
            Assert.True(reader.IgnoredTrailingData);
            // The incremental decoder, given the whole stream and the trailing bytes, is done.
            using var decoder = new WarpDriveGZipDecoder();
            var output = new byte[Input.Length + 1];
            Assert.Equal(System.Buffers.OperationStatus.Done, decoder.Decompress(gzip, output, out _, out int written));
            Assert.Equal(Input.Length, written);
        }
    }

    [Theory]
    [InlineData(16)] // the first member's length
    [InlineData(20)] // its uncompressed length, which no longer matches the trailer
    public void A_lying_member_index_costs_speed_not_data(int offset)
    {
        var multiMember = new WarpDriveCompressionOptions { ChunkSize = Small.ChunkSize, IndependentBlockSize = Small.IndependentBlockSize, GzipMultiMember = true };
        var compressed = Streams.Compress("gzip", Input, 6, multiMember);
        compressed[offset] ^= 1;
        Assert.Equal(Input, Streams.Decompress("gzip", compressed, multiMember));
        // Everyone else ignores the subfield.
        Assert.Equal(Input, Streams.DecompressWithDotNet("gzip", compressed));
    }

    [Fact]
    public void Writing_to_a_decompressor_and_reading_a_compressor_throw_invalid_operation()
    {
        using var reader = new WarpDriveGZipStream(new MemoryStream(), CompressionMode.Decompress);
        Assert.Throws<InvalidOperationException>(() => reader.Write(new byte[1]));
        Assert.Throws<InvalidOperationException>(() => reader.WriteByte(1));
        using var writer = new WarpDriveGZipStream(new MemoryStream(), CompressionLevel.Fastest);
        Assert.Throws<InvalidOperationException>(() => writer.Read(new byte[1]));
        Assert.Throws<InvalidOperationException>(() => writer.ReadByte());
        Assert.Throws<InvalidOperationException>(() => writer.CopyTo(Stream.Null));
    }
}
