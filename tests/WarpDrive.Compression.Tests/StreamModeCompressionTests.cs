using System.IO.Compression;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// A stream that flushes again and again (a proxied response, a feed of events) keeps one compressor from its second
/// flushed piece on, in stream mode, instead of priming a fresh one with the last 32 KiB for every piece; a full chunk
/// sent without a flush, an independent block's start or the end returns it to stateless chunks.
/// </summary>
public sealed class StreamModeCompressionTests
{
    private const int Chunk = 64 * 1024;

    [Fact]
    public void A_level_6_response_flushed_in_pieces_is_GZipStreams_own_deflate_body()
    {
        // Both sides run zlib-ng's level 6: a compressor that carries the stream across sync flushes writes what
        // GZipStream writes, byte for byte. One primed afresh per piece with the last 32 KiB does not (its window
        // and block statistics differ): this body then came out at 35,949 bytes against GZipStream's 35,953.
        var body = Corpus.TextBytes(400_000, 17);
        var ours = Respond(sink => new WarpDriveGZipStream(sink, 6, null, leaveOpen: true), body, [4096, 65536, 65536, 65536, 65536, 65536, 65536]);
        var theirs = Respond(sink => new GZipStream(sink, CompressionLevel.Optimal, leaveOpen: true), body, [4096, 65536, 65536, 65536, 65536, 65536, 65536]);
        Assert.True(theirs.Length == ours.Length, $"{ours.Length} bytes against GZipStream's {theirs.Length}");
        Assert.True(theirs.AsSpan(10).SequenceEqual(ours.AsSpan(10)), "the deflate body and trailer differ from GZipStream's");
    }

    public static TheoryData<string, int, bool> Shapes()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (var format in new[] { "gzip", "zlib", "deflate" })
        {
            foreach (int level in new[] { 1, 6 })
                data.Add(format, level, false);
        }
        data.Add("gzip", 1, true);
        data.Add("gzip", 6, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Flushes_between_full_chunks_and_block_starts_decode_everywhere(string format, int level, bool multiMember)
    {
        // Pieces (negative: written without a flush) that enter stream mode, leave it for full chunks, cross
        // independent blocks (every two chunks) and end after an empty flush, and after a flushed piece.
        var options = new WarpDriveCompressionOptions { ChunkSize = Chunk, IndependentBlockSize = 2 * Chunk, GzipMultiMember = multiMember };
        int[] pieces = [3000, 70_000, 100, -200_000, 5000, 1, 0, 40_000, 40_000, 40_000, 40_000, 7];
        var body = Corpus.TextBytes(pieces.Sum(Math.Abs), 29);
        var compressed = Respond(sink => Streams.WarpDrive(format, sink, level, options, leaveOpen: true), body, pieces);
        Assert.True(body.AsSpan().SequenceEqual(Streams.DecompressWithDotNet(format, compressed)), "the .NET reader differs");
        Assert.True(body.AsSpan().SequenceEqual(Streams.Decompress(format, compressed, options)), "WarpDrive's reader differs");
        if (format == "gzip")
        {
            var (output, error, code) = ProcessRunner.Run("gzip", "-dc", compressed);
            Assert.True(code == 0, error);
            Assert.True(body.AsSpan().SequenceEqual(output), "gzip -d differs");
        }
    }

    [Theory]
    [InlineData(1, CompressionVerification.Auto)]
    [InlineData(6, CompressionVerification.Auto)]
    [InlineData(1, CompressionVerification.Always)]
    public void A_feed_of_small_events_decodes_exactly(int level, CompressionVerification verification)
    {
        // Hundreds of small flushed pieces: ISA-L's level 0 with fixed codes carries a level-1 stream of them; a
        // verified stream (each piece checked against its dictionary alone) stays on primed stateless pieces.
        var options = new WarpDriveCompressionOptions { Verification = verification };
        int[] pieces = [.. Enumerable.Range(0, 300).Select(i => 1 + (i * 37 % 300))];
        var body = Corpus.TextBytes(pieces.Sum(), 53);
        var compressed = Respond(sink => new WarpDriveGZipStream(sink, level, options, leaveOpen: true), body, pieces);
        Assert.True(body.AsSpan().SequenceEqual(Streams.DecompressWithDotNet("gzip", compressed)), "the .NET reader differs");
        var (output, error, code) = ProcessRunner.Run("gzip", "-dc", compressed);
        Assert.True(code == 0, error);
        Assert.True(body.AsSpan().SequenceEqual(output), "gzip -d differs");
    }

    [Fact]
    public void Each_flush_still_makes_everything_so_far_decodable()
    {
        var body = Corpus.TextBytes(300_000, 41);
        var sink = new MemoryStream();
        using var stream = new WarpDriveGZipStream(sink, 1, null, leaveOpen: true);
        int at = 0;
        foreach (int piece in new[] { 2000, 30_000, 65_536, 9, 65_536, 120_000 })
        {
            stream.Write(body, at, piece);
            stream.Flush();
            at += piece;
            using var reader = new GZipStream(new MemoryStream(sink.ToArray()), CompressionMode.Decompress);
            var decoded = new MemoryStream();
            var buffer = new byte[8192];
            // A flushed stream has no trailer yet: read what is there, then the reader reports the cut.
            try
            {
                int n;
                while ((n = reader.Read(buffer)) > 0)
                    decoded.Write(buffer, 0, n);
            }
            catch (InvalidDataException)
            {
            }
            Assert.True(body.AsSpan(0, at).SequenceEqual(decoded.ToArray()), $"after {at} bytes the flushed output decodes to {decoded.Length}");
        }
    }

    /// <summary>Writes <paramref name="body"/> in the given pieces, each flushed unless negative; then disposes.</summary>
    private static byte[] Respond(Func<Stream, Stream> open, byte[] body, int[] pieces)
    {
        var sink = new MemoryStream();
        using (var stream = open(sink))
        {
            int at = 0;
            foreach (int piece in pieces)
            {
                stream.Write(body, at, Math.Abs(piece));
                at += Math.Abs(piece);
                if (piece >= 0)
                    stream.Flush();
            }
        }
        return sink.ToArray();
    }
}
