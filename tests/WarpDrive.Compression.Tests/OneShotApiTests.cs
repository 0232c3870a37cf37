using System.Buffers;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>The span API: one-shot TryCompress/TryDecompress and incremental encoders/decoders with OperationStatus.</summary>
public sealed class OneShotApiTests
{
    private static readonly byte[] Input = Corpus.Mixed(3_000_000);

    [Fact]
    public void TryCompress_and_TryDecompress_round_trip_each_format()
    {
        var buffer = new byte[WarpDriveGZipEncoder.GetMaxCompressedLength(Input.Length)];
        var output = new byte[Input.Length];

        Assert.True(WarpDriveGZipEncoder.TryCompress(Input, buffer, out int written, level: 1));
        Assert.Equal(Input, Streams.DecompressWithDotNet("gzip", buffer[..written]));
        Assert.True(WarpDriveGZipDecoder.TryDecompress(buffer.AsSpan(0, written), output, out int decoded));
        Assert.Equal(Input.Length, decoded);
        Assert.Equal(Input, output);

        Assert.True(WarpDriveZLibEncoder.TryCompress(Input, buffer, out written));
        Assert.Equal(Input, Streams.DecompressWithDotNet("zlib", buffer[..written]));
        Assert.True(WarpDriveZLibDecoder.TryDecompress(buffer.AsSpan(0, written), output, out decoded));
        Assert.Equal(Input, output[..decoded]);

        Assert.True(WarpDriveDeflateEncoder.TryCompress(Input, buffer, out written, level: 9));
        Assert.Equal(Input, Streams.DecompressWithDotNet("deflate", buffer[..written]));
        Assert.True(WarpDriveDeflateDecoder.TryDecompress(buffer.AsSpan(0, written), output, out decoded));
        Assert.Equal(Input, output[..decoded]);
    }

    [Fact]
    public void Too_small_destinations_return_false()
    {
        var compressed = Streams.Compress("gzip", Input);
        Assert.False(WarpDriveGZipEncoder.TryCompress(Input, new byte[compressed.Length / 2], out int written));
        Assert.Equal(0, written);
        Assert.False(WarpDriveGZipDecoder.TryDecompress(compressed, new byte[Input.Length - 1], out written));
        Assert.True(WarpDriveGZipDecoder.TryDecompress(compressed, new byte[Input.Length], out written));
        Assert.Equal(Input.Length, written);
    }

    [Fact]
    public void Max_compressed_length_bounds_incompressible_data()
    {
        var random = new byte[1_000_000];
        new Random(3).NextBytes(random);
        foreach (int level in new[] { 0, 1, 6, 9 })
        {
            Assert.True(WarpDriveDeflateEncoder.TryCompress(random, new byte[WarpDriveDeflateEncoder.GetMaxCompressedLength(random.Length)], out _, level));
            Assert.True(WarpDriveGZipEncoder.TryCompress(random, new byte[WarpDriveGZipEncoder.GetMaxCompressedLength(random.Length)], out _, level));
        }
        Assert.True(WarpDriveZLibEncoder.TryCompress([], new byte[WarpDriveZLibEncoder.GetMaxCompressedLength(0)], out int empty));
        Assert.Equal(0, empty);
    }

    [Fact]
    public void Incremental_encoder_and_decoder_stream_through_small_buffers()
    {
        using var encoder = new WarpDriveGZipEncoder(level: 6);
        var compressed = new MemoryStream();
        var block = new byte[10_000];
        for (int at = 0; at < Input.Length; at += 250_000)
        {
            var source = Input.AsSpan(at, Math.Min(250_000, Input.Length - at));
            bool last = at + 250_000 >= Input.Length;
            OperationStatus status;
            do
            {
                status = encoder.Compress(source, block, out int consumed, out int written, last);
                source = source[consumed..];
                compressed.Write(block, 0, written);
            }
            while (status == OperationStatus.DestinationTooSmall);
            Assert.Equal(OperationStatus.Done, status);
        }
        var bytes = compressed.ToArray();
        Assert.Equal(Input, Streams.DecompressWithDotNet("gzip", bytes));

        using var decoder = new WarpDriveGZipDecoder();
        var result = new MemoryStream();
        var outBlock = new byte[33_000];
        var final = OperationStatus.NeedMoreData;
        for (int at = 0; at < bytes.Length && final != OperationStatus.Done; at += 7_000)
        {
            var source = bytes.AsSpan(at, Math.Min(7_000, bytes.Length - at));
            do
            {
                final = decoder.Decompress(source, outBlock, out int consumed, out int written);
                source = source[consumed..];
                result.Write(outBlock, 0, written);
            }
            while (final == OperationStatus.DestinationTooSmall);
            Assert.NotEqual(OperationStatus.InvalidData, final);
        }
        if (final != OperationStatus.Done)
            final = decoder.Decompress([], outBlock, out _, out _);
        Assert.Equal(OperationStatus.Done, final);
        Assert.Equal(Input, result.ToArray());
    }

    [Fact]
    public void Incremental_decoder_reports_invalid_data_and_the_encoder_flushes()
    {
        using var decoder = new WarpDriveZLibDecoder();
        Assert.Equal(OperationStatus.InvalidData, decoder.Decompress([0x12, 0x34, 0x56], new byte[100], out _, out _));

        using var encoder = new WarpDriveDeflateEncoder(1);
        var out1 = new byte[100_000];
        Assert.Equal(OperationStatus.Done, encoder.Compress(Input.AsSpan(0, 50_000), out1, out _, out int w0, isFinalBlock: false));
        Assert.Equal(OperationStatus.Done, encoder.Flush(out1.AsSpan(w0), out int w1));
        Assert.Equal(Input.AsSpan(0, 50_000).ToArray(), Streams.Decompress("deflate", out1[..(w0 + w1)], new WarpDriveCompressionOptions { ThrowOnTruncatedInput = false }));
    }
}
