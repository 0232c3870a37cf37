namespace WarpDrive.Drivers.Qm;

/// <summary>
/// The HPRE key buffer (spec §6.3), the one place that lays it out: big-endian fields, each right-aligned in its
/// slot. Non-CRT: the exponent then the modulus, <c>ksz</c> bytes each. CRT: dq, dp, q, p, qinv, <c>ksz / 2</c>
/// bytes each. Public with the SQE codecs: a caller of the raw queue contract builds the key buffer an HPRE SQE points at.
/// </summary>
public static class HpreKeyLayout
{
    /// <summary>Bytes of the key buffer for <paramref name="algorithm"/> at key width <paramref name="width"/> (<c>ksz</c>).</summary>
    public static int Length(HpreAlgorithm algorithm, int width) => algorithm == HpreAlgorithm.RsaCrt ? width / 2 * 5 : width * 2;

    /// <summary>A non-CRT key buffer: (exponent, modulus).</summary>
    /// <exception cref="ArgumentException">A field is wider than its slot.</exception>
    public static byte[] NonCrt(int width, ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> modulus)
    {
        var key = new byte[Length(HpreAlgorithm.RsaNonCrt, width)];
        Place(exponent, key.AsSpan(0, width));
        Place(modulus, key.AsSpan(width, width));
        return key;
    }

    /// <summary>A CRT key buffer: (dq, dp, q, p, qinv).</summary>
    /// <exception cref="ArgumentException">A field is wider than its slot.</exception>
    public static byte[] Crt(int width, ReadOnlySpan<byte> dq, ReadOnlySpan<byte> dp, ReadOnlySpan<byte> q, ReadOnlySpan<byte> p, ReadOnlySpan<byte> qinv)
    {
        int half = width / 2;
        var key = new byte[Length(HpreAlgorithm.RsaCrt, width)];
        Place(dq, key.AsSpan(0, half));
        Place(dp, key.AsSpan(half, half));
        Place(q, key.AsSpan(2 * half, half));
        Place(p, key.AsSpan(3 * half, half));
        Place(qinv, key.AsSpan(4 * half, half));
        return key;
    }

    /// <summary>The fields of a non-CRT key buffer.</summary>
    public static NonCrtFields ReadNonCrt(ReadOnlySpan<byte> key, int width) => new(key[..width], key.Slice(width, width));

    /// <summary>The fields of a CRT key buffer.</summary>
    public static CrtFields ReadCrt(ReadOnlySpan<byte> key, int width)
    {
        int half = width / 2;
        return new(key[..half], key.Slice(half, half), key.Slice(2 * half, half), key.Slice(3 * half, half), key.Slice(4 * half, half));
    }

    private static void Place(ReadOnlySpan<byte> value, Span<byte> slot)
    {
        int first = value.IndexOfAnyExcept((byte)0);
        var significant = first < 0 ? [] : value[first..];
        if (significant.Length > slot.Length)
            throw new ArgumentException($"A key field of {significant.Length} bytes does not fit its {slot.Length}-byte slot.");
        significant.CopyTo(slot[^significant.Length..]);
    }

    /// <summary>(exponent, modulus).</summary>
    public readonly ref struct NonCrtFields(ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> modulus)
    {
        /// <summary>The exponent slot.</summary>
        public ReadOnlySpan<byte> Exponent { get; } = exponent;
        /// <summary>The modulus slot.</summary>
        public ReadOnlySpan<byte> Modulus { get; } = modulus;
    }

    /// <summary>(dq, dp, q, p, qinv).</summary>
    public readonly ref struct CrtFields(ReadOnlySpan<byte> dq, ReadOnlySpan<byte> dp, ReadOnlySpan<byte> q, ReadOnlySpan<byte> p, ReadOnlySpan<byte> qinv)
    {
        /// <summary>dq = d mod (q − 1).</summary>
        public ReadOnlySpan<byte> Dq { get; } = dq;
        /// <summary>dp = d mod (p − 1).</summary>
        public ReadOnlySpan<byte> Dp { get; } = dp;
        /// <summary>The prime q.</summary>
        public ReadOnlySpan<byte> Q { get; } = q;
        /// <summary>The prime p.</summary>
        public ReadOnlySpan<byte> P { get; } = p;
        /// <summary>qinv = q⁻¹ mod p.</summary>
        public ReadOnlySpan<byte> Qinv { get; } = qinv;
    }
}
