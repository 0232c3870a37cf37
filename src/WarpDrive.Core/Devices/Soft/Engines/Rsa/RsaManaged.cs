using System.Numerics;

namespace WarpDrive.Devices.Soft.Engines.Rsa;

/// <summary>
/// RSA arithmetic in managed code, for machines without libcrypto 3. Secret exponents run a Montgomery ladder
/// (one multiplication and one squaring per exponent bit, over the modulus's full width, the operand chosen by
/// index rather than by branch), so the sequence of operations does not depend on the exponent's bits; the
/// <see cref="BigInteger"/> arithmetic underneath is not constant-time, so this is <b>not</b> a constant-time
/// implementation. Public exponents use <see cref="BigInteger.ModPow(BigInteger, BigInteger, BigInteger)"/>.
/// Callers above the device blind private operations, which is what protects a key on this path.
/// </summary>
internal static class RsaManaged
{
    /// <summary>Computes <c>input^exponent mod modulus</c>. False on a zero or even modulus, or input ≥ modulus.</summary>
    public static bool TryModExp(ReadOnlySpan<byte> input, ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> modulus, Span<byte> output, bool secretExponent)
    {
        var n = Unsigned(modulus);
        var m = Unsigned(input);
        if (n.IsZero || n.IsEven || m >= n)
            return false;
        var result = secretExponent ? Ladder(m, exponent, n, modulus.Length * 8) : BigInteger.ModPow(m, Unsigned(exponent), n);
        return Store(result, output);
    }

    /// <summary>The CRT private operation, as <see cref="OpenSslRsa.TryCrt"/> defines it.</summary>
    public static bool TryCrt(ReadOnlySpan<byte> input, ReadOnlySpan<byte> dq, ReadOnlySpan<byte> dp, ReadOnlySpan<byte> q,
        ReadOnlySpan<byte> p, ReadOnlySpan<byte> qinv, Span<byte> output)
    {
        var bp = Unsigned(p);
        var bq = Unsigned(q);
        var c = Unsigned(input);
        if (bp.IsEven || bq.IsEven || bp.IsZero || bq.IsZero || c >= bp * bq)
            return false;
        var m1 = Ladder(c % bp, dp, bp, p.Length * 8);
        var m2 = Ladder(c % bq, dq, bq, q.Length * 8);
        var h = Unsigned(qinv) * (m1 - m2) % bp;
        if (h.Sign < 0)
            h += bp;
        return Store(m2 + h * bq, output);
    }

    /// <summary><c>a·b mod modulus</c>.</summary>
    public static bool TryModMul(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> modulus, Span<byte> output)
    {
        var n = Unsigned(modulus);
        return !n.IsZero && Store(Unsigned(a) * Unsigned(b) % n, output);
    }

    /// <summary><c>a⁻¹ mod modulus</c> by the extended Euclidean algorithm (not constant-time). False when none exists.</summary>
    public static bool TryModInverse(ReadOnlySpan<byte> a, ReadOnlySpan<byte> modulus, Span<byte> output)
    {
        var n = Unsigned(modulus);
        if (n.IsZero)
            return false;
        BigInteger r0 = n, r1 = Unsigned(a) % n, t0 = BigInteger.Zero, t1 = BigInteger.One;
        while (!r1.IsZero)
        {
            var quotient = BigInteger.DivRem(r0, r1, out var remainder);
            (r0, r1) = (r1, remainder);
            (t0, t1) = (t1, t0 - quotient * t1);
        }
        if (!r0.IsOne)
            return false;
        if (t0.Sign < 0)
            t0 += n;
        return Store(t0, output);
    }

    /// <summary>
    /// Montgomery ladder over <paramref name="bits"/> exponent bits (the field's width, not the exponent's length):
    /// invariant r[1] = r[0]·b; each step writes r[1−bit] = r[0]·r[1] and r[bit] = r[bit]².
    /// </summary>
    private static BigInteger Ladder(BigInteger b, ReadOnlySpan<byte> exponent, BigInteger modulus, int bits)
    {
        Span<BigInteger> r = [BigInteger.One, b % modulus];
        for (int i = bits - 1; i >= 0; i--)
        {
            int byteIndex = exponent.Length - 1 - (i >> 3);
            int bit = byteIndex < 0 ? 0 : (exponent[byteIndex] >> (i & 7)) & 1;
            r[1 - bit] = r[0] * r[1] % modulus;
            r[bit] = r[bit] * r[bit] % modulus;
        }
        return r[0];
    }

    private static BigInteger Unsigned(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    /// <summary>Writes <paramref name="value"/> big-endian, right-aligned in <paramref name="output"/>; false when it is wider.</summary>
    internal static bool Store(BigInteger value, Span<byte> output)
    {
        int length = value.GetByteCount(isUnsigned: true);
        if (length > output.Length)
            return false;
        output.Clear();
        return value.TryWriteBytes(output[(output.Length - length)..], out _, isUnsigned: true, isBigEndian: true);
    }
}
