using System.Numerics;
using WarpDrive.Interop;
using static WarpDrive.Interop.LibCrypto;

namespace WarpDrive.Devices.Soft.Engines.Rsa;

/// <summary>
/// Precomputation for one RSA modulus, kept with a key for the host-side arithmetic around device requests (the
/// result check and blinding) and, through <see cref="RsaModulusCache"/>, for the soft engine's exponentiation: with
/// libcrypto, the modulus and its Montgomery context (<c>BN_MONT_CTX</c>), so exponentiation and the blinding
/// multiplications skip their setup. Read-only after creation, so threads
/// share it; native memory is released by the finalizer once no key refers to it.
/// </summary>
/// <remarks>
/// Multiplication works in the context's own representation: <see cref="TryMontMul"/> gives <c>a·b·R⁻¹ mod n</c>
/// and <see cref="TryToMontgomery"/> gives <c>a·R mod n</c>, with R = 2^(64·words) on libcrypto and R = 1 in the
/// managed fallback. A factor kept as <c>f·R</c> therefore multiplies a plain value into a plain result.
/// </remarks>
internal sealed unsafe class RsaModulusContext
{
    private readonly nint _n;
    private readonly nint _mont;
    private readonly BigInteger _managed;

    private RsaModulusContext(nint n, nint mont, BigInteger managed)
    {
        _n = n;
        _mont = mont;
        _managed = managed;
    }

    /// <summary>A context for an odd, nonzero modulus; null for a modulus the arithmetic cannot take.</summary>
    public static RsaModulusContext? Create(ReadOnlySpan<byte> modulus)
    {
        var managed = new BigInteger(modulus, isUnsigned: true, isBigEndian: true);
        if (managed.IsZero || managed.IsEven)
            return null;
        if (!RsaSoftware.UsesOpenSsl)
            return new RsaModulusContext(0, 0, managed);
        var s = OpenSslRsa.Scratch.ForThisThread();
        nint n = BN_new();
        nint mont = BN_MONT_CTX_new();
        if (n == 0 || mont == 0 || !OpenSslRsa.Load(modulus, n) || BN_MONT_CTX_set(mont, n, s.Context) != 1)
        {
            if (n != 0)
                BN_free(n);
            if (mont != 0)
                BN_MONT_CTX_free(mont);
            return new RsaModulusContext(0, 0, managed);
        }
        return new RsaModulusContext(n, mont, managed);
    }

    /// <summary>
    /// <c>input^exponent mod n</c>: a secret exponent takes OpenSSL's constant-time exponentiation, a public one the
    /// faster sliding window. False when the input is not below the modulus.
    /// </summary>
    public bool TryModExp(ReadOnlySpan<byte> input, ReadOnlySpan<byte> exponent, Span<byte> output, bool secretExponent)
    {
        if (_mont == 0)
            return RsaManaged.TryModExp(input, exponent, ModulusBytes(), output, secretExponent);
        var s = OpenSslRsa.Scratch.ForThisThread();
        nint a = s.Numbers[OpenSslRsa.Scratch.Input], r = s.Numbers[OpenSslRsa.Scratch.Result];
        nint e = s.Numbers[secretExponent ? OpenSslRsa.Scratch.SecretExponent : OpenSslRsa.Scratch.PublicExponent];
        try
        {
            if (!OpenSslRsa.Load(input, a) || !OpenSslRsa.Load(exponent, e) || BN_ucmp(a, _n) >= 0)
                return false;
            int ok = secretExponent
                ? BN_mod_exp_mont_consttime(r, a, e, _n, s.Context, _mont)
                : BN_mod_exp_mont(r, a, e, _n, s.Context, _mont);
            return ok == 1 && OpenSslRsa.Store(r, output);
        }
        finally
        {
            s.Clear();
            GC.KeepAlive(this);
        }
    }

    /// <summary><c>a·b·R⁻¹ mod n</c>; both operands below the modulus.</summary>
    public bool TryMontMul(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output)
    {
        if (_mont == 0)
            return RsaManaged.Store(new BigInteger(a, true, true) * new BigInteger(b, true, true) % _managed, output);
        var s = OpenSslRsa.Scratch.ForThisThread();
        nint x = s.Numbers[OpenSslRsa.Scratch.R1], y = s.Numbers[OpenSslRsa.Scratch.R2], r = s.Numbers[OpenSslRsa.Scratch.H];
        try
        {
            if (!OpenSslRsa.Load(a, x) || !OpenSslRsa.Load(b, y) || BN_ucmp(x, _n) >= 0 || BN_ucmp(y, _n) >= 0)
                return false;
            return BN_mod_mul_montgomery(r, x, y, _mont, s.Context) == 1 && OpenSslRsa.Store(r, output);
        }
        finally
        {
            s.Clear();
            GC.KeepAlive(this);
        }
    }

    /// <summary><c>a·R mod n</c>: a value in the representation <see cref="TryMontMul"/> keeps factors in.</summary>
    public bool TryToMontgomery(ReadOnlySpan<byte> a, Span<byte> output)
    {
        if (_mont == 0)
            return RsaManaged.Store(new BigInteger(a, true, true) % _managed, output);
        var s = OpenSslRsa.Scratch.ForThisThread();
        nint x = s.Numbers[OpenSslRsa.Scratch.R1], r = s.Numbers[OpenSslRsa.Scratch.H];
        try
        {
            if (!OpenSslRsa.Load(a, x) || BN_ucmp(x, _n) >= 0)
                return false;
            return BN_to_montgomery(r, x, _mont, s.Context) == 1 && OpenSslRsa.Store(r, output);
        }
        finally
        {
            s.Clear();
            GC.KeepAlive(this);
        }
    }

    private byte[] ModulusBytes() => _managed.ToByteArray(isUnsigned: true, isBigEndian: true);

    ~RsaModulusContext()
    {
        if (_mont != 0)
            BN_MONT_CTX_free(_mont);
        if (_n != 0)
            BN_free(_n);
    }
}
