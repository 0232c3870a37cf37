using WarpDrive.Interop;
using static WarpDrive.Interop.LibCrypto;

namespace WarpDrive.Devices.Soft.Engines.Rsa;

/// <summary>
/// RSA arithmetic on the system libcrypto: constant-time Montgomery exponentiation for secret exponents
/// (<c>BN_mod_exp_mont_consttime</c>, two at once for CRT so 1024-bit halves take OpenSSL's AVX-512 path),
/// sliding-window <c>BN_mod_exp_mont</c> for public ones. All numbers are big-endian byte strings; results are
/// written right-aligned into the output span. Thread-safe: each thread works in its own <c>BN_CTX</c> and
/// scratch numbers, which are zeroed after every operation, and keeps the last CRT key it used prepared
/// (<see cref="OpenSslCrtKey"/>), as well as the last few moduli (<see cref="RsaModulusCache"/>).
/// </summary>
internal static unsafe class OpenSslRsa
{
    /// <summary>Computes <c>input^exponent mod modulus</c>. False on a zero or even modulus, or input ≥ modulus.</summary>
    public static bool TryModExp(ReadOnlySpan<byte> input, ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> modulus, Span<byte> output, bool secretExponent) =>
        RsaModulusCache.For(modulus) is { } context && context.TryModExp(input, exponent, output, secretExponent);

    /// <summary>
    /// The CRT private operation: <c>m1 = c^dp mod p</c>, <c>m2 = c^dq mod q</c> (constant time, both at once),
    /// <c>h = qinv·(m1 − m2) mod p</c>, result <c>m2 + h·q</c>. False on a zero or even prime, input ≥ p·q, or a
    /// result wider than the output (inconsistent key).
    /// </summary>
    public static bool TryCrt(ReadOnlySpan<byte> input, ReadOnlySpan<byte> dq, ReadOnlySpan<byte> dp, ReadOnlySpan<byte> q,
        ReadOnlySpan<byte> p, ReadOnlySpan<byte> qinv, Span<byte> output)
    {
        var s = Scratch.ForThisThread();
        var x = s.Numbers;
        nint c = x[Scratch.CrtInput], m1 = x[Scratch.M1], m2 = x[Scratch.M2], h = x[Scratch.H], t = x[Scratch.T];
        nint r1 = x[Scratch.R1], r2 = x[Scratch.R2], result = x[Scratch.Result];
        nint ctx = s.Context;
        try
        {
            var key = OpenSslCrtKey.For(dq, dp, q, p, qinv, ctx);
            if (key is null || !Load(input, c))
                return false;
            // The device rejects input not below the modulus, as the non-CRT path does.
            if (BN_ucmp(c, key.N) >= 0)
                return false;
            if (BN_div(0, r1, c, key.Q, ctx) != 1 || BN_div(0, r2, c, key.P, ctx) != 1)
                return false;
            if (BN_mod_exp_mont_consttime_x2(m1, r2, key.Dp, key.P, key.MontP, m2, r1, key.Dq, key.Q, key.MontQ, ctx) != 1)
                return false;
            if (BN_mod_sub(h, m1, m2, key.P, ctx) != 1
                || BN_mod_mul(h, h, key.Qinv, key.P, ctx) != 1
                || BN_mul(t, h, key.Q, ctx) != 1
                || BN_add(result, t, m2) != 1)
                return false;
            return Store(result, output);
        }
        finally
        {
            s.Clear();
        }
    }

    /// <summary><c>a·b mod modulus</c> (blinding arithmetic: the operands are secret, so they take the constant-time paths).</summary>
    public static bool TryModMul(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> modulus, Span<byte> output)
    {
        var s = Scratch.ForThisThread();
        nint x = s.Numbers[Scratch.R1], y = s.Numbers[Scratch.R2], n = s.Numbers[Scratch.Modulus], r = s.Numbers[Scratch.Result];
        try
        {
            if (!Load(a, x) || !Load(b, y) || !Load(modulus, n) || BN_is_zero(n) != 0)
                return false;
            return BN_mod_mul(r, x, y, n, s.Context) == 1 && Store(r, output);
        }
        finally
        {
            s.Clear();
        }
    }

    /// <summary>
    /// <c>a⁻¹ mod modulus</c>; False when none exists. With <paramref name="secret"/> the operand takes OpenSSL's
    /// branch-free inversion; without, the faster variable-time one (for values already blinded by a random factor).
    /// </summary>
    public static bool TryModInverse(ReadOnlySpan<byte> a, ReadOnlySpan<byte> modulus, Span<byte> output, bool secret)
    {
        var s = Scratch.ForThisThread();
        nint x = secret ? s.Numbers[Scratch.R1] : s.Numbers[Scratch.Input], n = s.Numbers[Scratch.Modulus], r = s.Numbers[Scratch.Result];
        try
        {
            if (!Load(a, x) || !Load(modulus, n) || BN_is_zero(n) != 0)
                return false;
            return BN_mod_inverse(r, x, n, s.Context) != 0 && Store(r, output);
        }
        finally
        {
            s.Clear();
        }
    }

    internal static bool Load(ReadOnlySpan<byte> bigEndian, nint into)
    {
        fixed (byte* p = bigEndian)
            return BN_bin2bn(p, bigEndian.Length, into) != 0;
    }

    internal static bool Store(nint number, Span<byte> output)
    {
        fixed (byte* p = output)
            return BN_bn2binpad(number, p, output.Length) == output.Length;
    }

    /// <summary>One thread's <c>BN_CTX</c> and numbers; freed by the finalizer when the thread is gone.</summary>
    internal sealed class Scratch
    {
        public const int Input = 0, Modulus = 1, Result = 2, PublicExponent = 3, SecretExponent = 4;
        public const int M1 = 5, M2 = 6, H = 7, T = 8, R1 = 9, R2 = 10, CrtInput = 11;
        private const int Count = 12;

        [ThreadStatic]
        private static Scratch? t_scratch;

        public readonly nint Context;
        public readonly nint[] Numbers = new nint[Count];

        private Scratch()
        {
            Context = BN_CTX_new();
            if (Context == 0)
                throw new InvalidOperationException("BN_CTX_new failed.");
            for (int i = 0; i < Count; i++)
            {
                Numbers[i] = BN_new();
                if (Numbers[i] == 0)
                    throw new InvalidOperationException("BN_new failed.");
            }
            // Secrets take OpenSSL's constant-time paths (division, modular multiplication, exponentiation).
            foreach (int secret in (ReadOnlySpan<int>)[SecretExponent, CrtInput, R1, R2, H])
                BN_set_flags(Numbers[secret], FlagConstTime);
        }

        public static Scratch ForThisThread() => t_scratch ??= new Scratch();

        /// <summary>Zeroes every number, so no secret outlives the operation.</summary>
        public void Clear()
        {
            foreach (nint n in Numbers)
                BN_clear(n);
        }

        ~Scratch()
        {
            foreach (nint n in Numbers)
            {
                if (n != 0)
                    BN_clear_free(n);
            }
            if (Context != 0)
                BN_CTX_free(Context);
        }
    }
}
