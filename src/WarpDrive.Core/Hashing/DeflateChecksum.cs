using WarpDrive.Interop;

namespace WarpDrive.Hashing;

/// <summary>
/// The checksums of the deflate formats: running CRC-32 (gzip) and Adler-32 (zlib) over spans, and the combine
/// operations that join the checksums of consecutive pieces computed apart (zlib's <c>crc32_combine</c> and
/// <c>adler32_combine</c> math). The one implementation every layer uses: the soft engine, the compression
/// pipeline and its checks on device results.
/// </summary>
public static unsafe class DeflateChecksum
{
    /// <summary>The Adler-32 of no bytes, where a zlib stream's running checksum starts.</summary>
    public const uint Adler32Initial = 1;

    private const uint CrcPolynomial = 0xedb88320;
    private const uint AdlerBase = 65521;
    private static readonly uint[] X2nTable = BuildX2nTable();

    /// <summary>Continues the CRC-32 <paramref name="crc"/> (0 to start) over <paramref name="data"/>.</summary>
    public static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        // zlib answers a null buffer with the initial value, not the running one: an empty span changes nothing.
        if (data.IsEmpty)
            return crc;
        if (!ZlibNative.Crc32Available)
            return ManagedCrc32(crc, data);
        fixed (byte* p = data)
            return ZlibNative.Crc32(crc, p, data.Length);
    }

    /// <summary>Continues the Adler-32 <paramref name="adler"/> (<see cref="Adler32Initial"/> to start) over <paramref name="data"/>.</summary>
    public static uint Adler32(uint adler, ReadOnlySpan<byte> data) =>
        data.IsEmpty ? adler : LibdeflateNative.Adler32Available ? Adler32Native(adler, data) : ManagedAdler32(adler, data);

    private static uint Adler32Native(uint adler, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
            return LibdeflateNative.Adler32(adler, p, (nuint)data.Length);
    }

    /// <summary>The CRC-32 of two pieces back to back, from each piece's CRC-32 and the second's length.</summary>
    /// <remarks>A first piece whose CRC is 0 (nothing yet, the usual first combine) shifts to 0: the answer is the second's, without the shift's cost.</remarks>
    public static uint Crc32Combine(uint crc1, uint crc2, long length2) =>
        length2 <= 0 ? crc1 : crc1 == 0 ? crc2 : MultModP(X2nModP(length2, 3), crc1) ^ crc2;

    /// <summary>The Adler-32 of two pieces back to back, from each piece's Adler-32 and the second's length.</summary>
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

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Byte-at-a-time CRC-32 (reflected, polynomial 0xEDB88320), for where the native library is missing.</summary>
    private static uint ManagedCrc32(uint crc, ReadOnlySpan<byte> data)
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

    /// <summary>Adler-32 in plain C#, for where libdeflate is missing.</summary>
    private static uint ManagedAdler32(uint adler, ReadOnlySpan<byte> data)
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
