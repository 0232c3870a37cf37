using WarpDrive.Codecs;

namespace WarpDrive.Compression.Engine;

/// <summary>
/// CRC-32 and Adler-32 over spans, and the combine operations that join the checksums of consecutive pieces
/// computed in parallel (zlib's <c>crc32_combine</c> and <c>adler32_combine</c> math).
/// </summary>
internal static class Checksum
{
    private const uint CrcPolynomial = 0xedb88320;
    private const uint AdlerBase = 65521;
    private static readonly uint[] X2nTable = BuildX2nTable();

    public static uint Crc32(uint crc, ReadOnlySpan<byte> data) => DeflateChecksums.Crc32(crc, data);

    public static uint Adler32(uint adler, ReadOnlySpan<byte> data) => DeflateChecksums.Adler32(adler, data);

    /// <summary>The CRC-32 of A followed by B, from crc(A), crc(B) and B's length.</summary>
    public static uint Crc32Combine(uint crc1, uint crc2, long length2) =>
        length2 <= 0 ? crc1 : MultModP(X2nModP(length2, 3), crc1) ^ crc2;

    /// <summary>The Adler-32 of A followed by B, from adler(A), adler(B) and B's length.</summary>
    public static uint Adler32Combine(uint adler1, uint adler2, long length2)
    {
        if (length2 < 0)
            return 0xffffffff;
        ulong rem = (ulong)(length2 % AdlerBase);
        ulong sum1 = adler1 & 0xffff;
        ulong sum2 = rem * sum1 % AdlerBase;
        sum1 += (adler2 & 0xffff) + AdlerBase - 1;
        sum2 += ((adler1 >> 16) & 0xffff) + ((adler2 >> 16) & 0xffff) + AdlerBase - rem;
        if (sum1 >= AdlerBase)
            sum1 -= AdlerBase;
        if (sum1 >= AdlerBase)
            sum1 -= AdlerBase;
        if (sum2 >= AdlerBase << 1)
            sum2 -= AdlerBase << 1;
        if (sum2 >= AdlerBase)
            sum2 -= AdlerBase;
        return (uint)(sum1 | (sum2 << 16));
    }

    // a(x) * b(x) modulo p(x), in the reflected bit order CRC-32 uses.
    private static uint MultModP(uint a, uint b)
    {
        uint m = 1u << 31, p = 0;
        while (true)
        {
            if ((a & m) != 0)
            {
                p ^= b;
                if ((a & (m - 1)) == 0)
                    break;
            }
            m >>= 1;
            b = (b & 1) != 0 ? (b >> 1) ^ CrcPolynomial : b >> 1;
        }
        return p;
    }

    // x^(n * 2^k) modulo p(x).
    private static uint X2nModP(long n, int k)
    {
        uint p = 1u << 31;
        while (n != 0)
        {
            if ((n & 1) != 0)
                p = MultModP(X2nTable[k & 31], p);
            n >>= 1;
            k++;
        }
        return p;
    }

    private static uint[] BuildX2nTable()
    {
        var table = new uint[32];
        uint p = 1u << 30; // x^1
        table[0] = p;
        for (int n = 1; n < 32; n++)
            table[n] = p = MultModP(p, p);
        return table;
    }
}
