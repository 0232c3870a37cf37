using System.IO.Compression;
using WarpDrive.Compression.DataPath;
using WarpDrive.Hashing;

namespace WarpDrive.Compression.Tests.Infrastructure;

/// <summary>Valid gzip whose block marks mislead: for proving that a mark is a hint, never trusted.</summary>
internal static class ForgedGzip
{
    /// <summary>
    /// One deflate stream sync-flushed every <paramref name="flushEvery"/> bytes with its dictionary kept, each flush
    /// followed by the extra empty stored block of a mark, under a header that claims independent blocks of
    /// <paramref name="blockSize"/>: every block after the first reaches back before its start.
    /// </summary>
    public static byte[] MarksWhereTheDictionaryWasKept(byte[] input, int blockSize, int flushEvery)
    {
        var body = new MemoryStream();
        using (var deflate = new DeflateStream(body, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int at = 0; at < input.Length; at += flushEvery)
            {
                deflate.Write(input, at, Math.Min(flushEvery, input.Length - at));
                deflate.Flush();
                body.Write(Framing.EmptyStoredBlock);
            }
        }
        var header = new byte[Framing.BlockedGzipHeaderLength];
        Framing.WriteBlockedGzipHeader(header, 6, blockSize);
        var trailer = new byte[Framing.GzipTrailerLength];
        Framing.WriteGzipTrailer(trailer, DeflateChecksum.Crc32(0, input), (uint)input.Length);
        return [.. header, .. body.ToArray(), .. trailer];
    }
}
