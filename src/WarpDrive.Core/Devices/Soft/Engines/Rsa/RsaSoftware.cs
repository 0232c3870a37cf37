using WarpDrive.Interop;

namespace WarpDrive.Devices.Soft.Engines.Rsa;

/// <summary>
/// The RSA arithmetic the in-process soft engine (and every software re-run) uses: the system OpenSSL libcrypto
/// 3.x when it loads — constant-time exponentiation for private keys, the same code OpenSSL's own RSA runs — and a
/// managed fallback otherwise.
/// </summary>
/// <remarks>
/// Set the environment variable <c>WARPDRIVE_RSA_MANAGED=1</c> before first use to force the managed fallback
/// (for comparisons). The fallback is correct but neither fast nor constant-time; see <see cref="IsConstantTime"/>.
/// </remarks>
internal static class RsaSoftware
{
    private static readonly bool s_openSsl = LibCrypto.IsAvailable
        && Environment.GetEnvironmentVariable("WARPDRIVE_RSA_MANAGED") is not ("1" or "true");

    /// <summary>
    /// Which implementation runs: <c>"OpenSSL libcrypto 3.x.y"</c> (the library's own version) or <c>"managed"</c>.
    /// </summary>
    public static string Implementation { get; } = s_openSsl
        ? "OpenSSL libcrypto " + FormatVersion(LibCrypto.VersionNumber)
        : "managed";

    /// <summary>True when private-key exponentiation is constant-time (the libcrypto implementation).</summary>
    public static bool IsConstantTime => s_openSsl;

    /// <summary>True when the libcrypto implementation is in use.</summary>
    internal static bool UsesOpenSsl => s_openSsl;

    /// <summary>Exponents wider than this many bits are treated as secret (private); public exponents are small.</summary>
    internal const int PublicExponentMaxBits = 64;

    /// <summary><c>input^exponent mod modulus</c>, all big-endian; the output is written right-aligned. False on bad input.</summary>
    internal static bool TryModExp(ReadOnlySpan<byte> input, ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> modulus, Span<byte> output)
    {
        bool secret = SignificantBits(exponent) > PublicExponentMaxBits;
        if (s_openSsl)
        {
            try
            {
                return OpenSslRsa.TryModExp(input, exponent, modulus, output, secret);
            }
            catch (InvalidOperationException)
            {
                // libcrypto could not allocate this thread's context: compute it here instead.
            }
        }
        return RsaManaged.TryModExp(input, exponent, modulus, output, secret);
    }

    /// <summary>The CRT private operation on the spec's key fields (each half-width, big-endian). False on bad input.</summary>
    internal static bool TryCrt(ReadOnlySpan<byte> input, ReadOnlySpan<byte> dq, ReadOnlySpan<byte> dp, ReadOnlySpan<byte> q,
        ReadOnlySpan<byte> p, ReadOnlySpan<byte> qinv, Span<byte> output)
    {
        if (s_openSsl)
        {
            try
            {
                return OpenSslRsa.TryCrt(input, dq, dp, q, p, qinv, output);
            }
            catch (InvalidOperationException)
            {
                // As above.
            }
        }
        return RsaManaged.TryCrt(input, dq, dp, q, p, qinv, output);
    }

    /// <summary><c>a·b mod modulus</c>, big-endian, right-aligned into the output. False on a zero modulus or a result that does not fit.</summary>
    internal static bool TryModMul(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> modulus, Span<byte> output)
    {
        if (s_openSsl)
        {
            try
            {
                return OpenSslRsa.TryModMul(a, b, modulus, output);
            }
            catch (InvalidOperationException)
            {
                // As above.
            }
        }
        return RsaManaged.TryModMul(a, b, modulus, output);
    }

    /// <summary>
    /// <c>a⁻¹ mod modulus</c>, big-endian, right-aligned into the output. False when no inverse exists.
    /// <paramref name="secret"/> asks for libcrypto's branch-free inversion; a value already multiplied by a random
    /// blinding factor may take the faster variable-time one.
    /// </summary>
    internal static bool TryModInverse(ReadOnlySpan<byte> a, ReadOnlySpan<byte> modulus, Span<byte> output, bool secret = true)
    {
        if (s_openSsl)
        {
            try
            {
                return OpenSslRsa.TryModInverse(a, modulus, output, secret);
            }
            catch (InvalidOperationException)
            {
                // As above.
            }
        }
        return RsaManaged.TryModInverse(a, modulus, output);
    }

    /// <summary>Bit length of a big-endian unsigned number.</summary>
    internal static int SignificantBits(ReadOnlySpan<byte> bigEndian)
    {
        int first = bigEndian.IndexOfAnyExcept((byte)0);
        if (first < 0)
            return 0;
        return (bigEndian.Length - first - 1) * 8 + (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)bigEndian[first]));
    }

    // OpenSSL 3 packs MNNFFPPS: major, minor, patch in the top nibbles.
    private static string FormatVersion(ulong v) => $"{(v >> 28) & 0xf}.{(v >> 20) & 0xff}.{(v >> 4) & 0xff}";
}
