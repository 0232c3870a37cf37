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
        fixed (byte* p = data)
            return ZlibNative.Crc32(crc, p, data.Length);
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
