using WarpDrive.Interop;

namespace WarpDrive.Codecs;

/// <summary>Running CRC-32 (gzip) and Adler-32 (zlib) checksums over spans.</summary>
internal static unsafe class Checksums
{
    public const uint Adler32Initial = 1;

    public static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        // zlib answers a null buffer with the initial value, not the running one: an empty span changes nothing.
        if (data.IsEmpty)
            return crc;
        if (!DeflateEngines.NativeAvailable)
            return ManagedCrc32(crc, data);
        fixed (byte* p = data)
            return ZlibNative.Crc32(crc, p, data.Length);
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Byte-at-a-time CRC-32 (reflected, polynomial 0xEDB88320), for where the native library is missing.</summary>
    internal static uint ManagedCrc32(uint crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        foreach (byte b in data)
            crc = CrcTable[(crc ^ b) & 0xff] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xedb88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    public static uint Adler32(uint adler, ReadOnlySpan<byte> data)
    {
        const uint Base = 65521;
        // 5552 is the longest run whose sums cannot overflow 32 bits before the modulo.
        const int Nmax = 5552;
        uint a = adler & 0xffff, b = adler >> 16;
        while (!data.IsEmpty)
        {
            int n = Math.Min(Nmax, data.Length);
            foreach (byte x in data[..n])
            {
                a += x;
                b += a;
            }
            a %= Base;
            b %= Base;
            data = data[n..];
        }
        return (b << 16) | a;
    }
}
