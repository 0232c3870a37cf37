using System.Runtime.InteropServices;

namespace WarpDrive.Interop;

/// <summary>
/// The system OpenSSL 3 libcrypto (<c>libcrypto.so.3</c>, present wherever .NET's own cryptography runs on Linux):
/// only the BIGNUM calls the soft engine's RSA needs. Every pointer is an opaque <c>BIGNUM*</c>,
/// <c>BN_CTX*</c> or <c>BN_MONT_CTX*</c>; nothing here is called before <see cref="IsAvailable"/> said yes.
/// </summary>
internal static unsafe partial class LibCrypto
{
    private const string Library = "libcrypto.so.3";

    /// <summary><c>BN_FLG_CONSTTIME</c>: operations on this number take the constant-time paths.</summary>
    public const int FlagConstTime = 0x04;

    private static readonly Lazy<ulong> s_version = new(ProbeVersion, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when libcrypto 3.x loaded and answers.</summary>
    public static bool IsAvailable => s_version.Value >= 0x3000_0000UL;

    /// <summary><c>OpenSSL_version_num()</c>, or 0 when the library did not load.</summary>
    public static ulong VersionNumber => s_version.Value;

    /// <summary>The library's own version text, e.g. "OpenSSL 3.0.19 27 Jan 2026"; null when it did not load.</summary>
    public static string? VersionText => IsAvailable ? Marshal.PtrToStringUTF8((nint)OpenSslVersion(0)) : null;

    private static ulong ProbeVersion()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsFreeBSD())
            return 0;
        try
        {
            if (!NativeLibrary.TryLoad(Library, typeof(LibCrypto).Assembly, null, out _))
                return 0;
            ulong version = OpenSslVersionNum();
            // Every entry point used below must resolve, or none is used.
            nint ctx = BN_CTX_new();
            if (ctx == 0)
                return 0;
            BN_CTX_free(ctx);
            return version;
        }
        catch (DllNotFoundException)
        {
            return 0;
        }
        catch (EntryPointNotFoundException)
        {
            return 0;
        }
    }

    [LibraryImport(Library, EntryPoint = "OpenSSL_version_num")]
    private static partial nuint OpenSslVersionNumNative();

    private static ulong OpenSslVersionNum() => OpenSslVersionNumNative();

    [LibraryImport(Library, EntryPoint = "OpenSSL_version")]
    private static partial byte* OpenSslVersion(int type);

    [LibraryImport(Library)]
    public static partial nint BN_new();

    [LibraryImport(Library)]
    public static partial void BN_free(nint a);

    [LibraryImport(Library)]
    public static partial void BN_clear_free(nint a);

    /// <summary>Zeroes the number's words (secrets leave nothing behind).</summary>
    [LibraryImport(Library)]
    public static partial void BN_clear(nint a);

    [LibraryImport(Library)]
    public static partial void BN_set_flags(nint b, int n);

    /// <summary>Big-endian bytes into <paramref name="ret"/> (reused); returns it, or 0 on failure.</summary>
    [LibraryImport(Library)]
    public static partial nint BN_bin2bn(byte* s, int len, nint ret);

    /// <summary>Big-endian, left-padded to <paramref name="tolen"/>; −1 when the number does not fit.</summary>
    [LibraryImport(Library)]
    public static partial int BN_bn2binpad(nint a, byte* to, int tolen);

    [LibraryImport(Library)]
    public static partial int BN_num_bits(nint a);

    [LibraryImport(Library)]
    public static partial int BN_is_zero(nint a);

    [LibraryImport(Library)]
    public static partial int BN_is_odd(nint a);

    [LibraryImport(Library)]
    public static partial int BN_ucmp(nint a, nint b);

    [LibraryImport(Library)]
    public static partial nint BN_CTX_new();

    [LibraryImport(Library)]
    public static partial void BN_CTX_free(nint c);

    [LibraryImport(Library)]
    public static partial nint BN_MONT_CTX_new();

    [LibraryImport(Library)]
    public static partial void BN_MONT_CTX_free(nint mont);

    [LibraryImport(Library)]
    public static partial int BN_MONT_CTX_set(nint mont, nint mod, nint ctx);

    /// <summary><c>rr = a^p mod m</c>, fixed window, no secret-dependent branches or memory accesses.</summary>
    [LibraryImport(Library)]
    public static partial int BN_mod_exp_mont_consttime(nint rr, nint a, nint p, nint m, nint ctx, nint mont);

    /// <summary>Two constant-time exponentiations at once (AVX-512 IFMA for 1024-bit moduli; two plain calls otherwise).</summary>
    [LibraryImport(Library)]
    public static partial int BN_mod_exp_mont_consttime_x2(nint rr1, nint a1, nint p1, nint m1, nint mont1,
        nint rr2, nint a2, nint p2, nint m2, nint mont2, nint ctx);

    /// <summary><c>rr = a^p mod m</c>, sliding window: for public exponents only.</summary>
    [LibraryImport(Library)]
    public static partial int BN_mod_exp_mont(nint rr, nint a, nint p, nint m, nint ctx, nint mont);

    /// <summary><c>dv = a / d</c>, <c>rem = a mod d</c> (either may be 0); constant-time when an operand has <see cref="FlagConstTime"/>.</summary>
    [LibraryImport(Library)]
    public static partial int BN_div(nint dv, nint rem, nint a, nint d, nint ctx);

    /// <summary><c>ret = a⁻¹ mod n</c>; returns 0 when there is no inverse. Constant-time when an operand has <see cref="FlagConstTime"/>.</summary>
    [LibraryImport(Library)]
    public static partial nint BN_mod_inverse(nint ret, nint a, nint n, nint ctx);

    /// <summary><c>r = a·b·R⁻¹ mod m</c> (Montgomery multiplication; a, b below the modulus).</summary>
    [LibraryImport(Library)]
    public static partial int BN_mod_mul_montgomery(nint r, nint a, nint b, nint mont, nint ctx);

    /// <summary><c>r = a·R mod m</c>.</summary>
    [LibraryImport(Library)]
    public static partial int BN_to_montgomery(nint r, nint a, nint mont, nint ctx);

    [LibraryImport(Library)]
    public static partial int BN_mod_sub(nint r, nint a, nint b, nint m, nint ctx);

    [LibraryImport(Library)]
    public static partial int BN_mod_mul(nint r, nint a, nint b, nint m, nint ctx);

    [LibraryImport(Library)]
    public static partial int BN_mul(nint r, nint a, nint b, nint ctx);

    [LibraryImport(Library)]
    public static partial int BN_add(nint r, nint a, nint b);
}
