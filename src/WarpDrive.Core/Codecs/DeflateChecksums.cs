namespace WarpDrive.Codecs;

/// <summary>
/// The fastest checksums at hand: zlib-ng's CRC-32, and libdeflate's vectorised Adler-32 where present. An empty
/// span leaves the running value alone (the native calls would take its null pointer as "return the initial value").
/// </summary>
internal static class DeflateChecksums
{
    public static uint Crc32(uint crc, ReadOnlySpan<byte> data) => data.IsEmpty ? crc : Checksums.Crc32(crc, data);

    public static uint Adler32(uint adler, ReadOnlySpan<byte> data) =>
        data.IsEmpty ? adler : DeflateLibdeflate.IsAvailable ? DeflateLibdeflate.Adler32(adler, data) : Checksums.Adler32(adler, data);
}
