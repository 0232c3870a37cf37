using System.Security.Cryptography;
using static WarpDrive.Interop.LibCrypto;

namespace WarpDrive.Devices.Soft.Engines.Rsa;

/// <summary>
/// The CRT key a thread used last, loaded into libcrypto numbers with the primes' Montgomery contexts, as
/// OpenSSL's own RSA object caches them: setting a 1024-bit prime's context up costs ~8 µs, and the
/// exponentiation with cached contexts ~20 µs less, of ~250 µs per RSA-2048 operation. One key per thread;
/// replaced (its numbers cleared) when a request brings another key, freed with the thread.
/// </summary>
internal sealed class OpenSslCrtKey
{
    [ThreadStatic]
    private static OpenSslCrtKey? t_key;

    private byte[] _bytes = [];
    private readonly int[] _lengths = new int[5];
    private bool _loaded;

    public nint P { get; }
    public nint Q { get; }
    public nint Dp { get; }
    public nint Dq { get; }
    public nint Qinv { get; }

    /// <summary>p·q: the request's input must be below it.</summary>
    public nint N { get; }

    public nint MontP { get; private set; }
    public nint MontQ { get; private set; }

    private OpenSslCrtKey()
    {
        P = New(secret: true);
        Q = New(secret: true);
        Dp = New(secret: true);
        Dq = New(secret: true);
        Qinv = New(secret: true);
        N = New(secret: false);
    }

    /// <summary>This thread's prepared key for (dq, dp, q, p, qinv): reused when the bytes match, else loaded. Null for a key the arithmetic rejects.</summary>
    public static OpenSslCrtKey? For(ReadOnlySpan<byte> dq, ReadOnlySpan<byte> dp, ReadOnlySpan<byte> q, ReadOnlySpan<byte> p, ReadOnlySpan<byte> qinv, nint ctx)
    {
        var key = t_key ??= new OpenSslCrtKey();
        if (key.Holds(dq, dp, q, p, qinv))
            return key;
        key.Forget();
        return key.Load(dq, dp, q, p, qinv, ctx) ? key : null;
    }

    private bool Holds(ReadOnlySpan<byte> dq, ReadOnlySpan<byte> dp, ReadOnlySpan<byte> q, ReadOnlySpan<byte> p, ReadOnlySpan<byte> qinv)
    {
        if (!_loaded)
            return false;
        int at = 0;
        return Same(dq, 0, ref at) && Same(dp, 1, ref at) && Same(q, 2, ref at) && Same(p, 3, ref at) && Same(qinv, 4, ref at);
    }

    private bool Same(ReadOnlySpan<byte> part, int index, ref int at)
    {
        if (_lengths[index] != part.Length)
            return false;
        bool same = part.SequenceEqual(_bytes.AsSpan(at, part.Length));
        at += part.Length;
        return same;
    }

    private bool Load(ReadOnlySpan<byte> dq, ReadOnlySpan<byte> dp, ReadOnlySpan<byte> q, ReadOnlySpan<byte> p, ReadOnlySpan<byte> qinv, nint ctx)
    {
        if (!OpenSslRsa.Load(dq, Dq) || !OpenSslRsa.Load(dp, Dp) || !OpenSslRsa.Load(q, Q) || !OpenSslRsa.Load(p, P) || !OpenSslRsa.Load(qinv, Qinv))
            return false;
        if (BN_is_odd(P) == 0 || BN_is_odd(Q) == 0 || BN_mul(N, P, Q, ctx) != 1)
            return false;
        MontP = BN_MONT_CTX_new();
        MontQ = BN_MONT_CTX_new();
        if (MontP == 0 || MontQ == 0 || BN_MONT_CTX_set(MontP, P, ctx) != 1 || BN_MONT_CTX_set(MontQ, Q, ctx) != 1)
        {
            Forget();
            return false;
        }
        int total = dq.Length + dp.Length + q.Length + p.Length + qinv.Length;
        if (_bytes.Length < total)
            _bytes = new byte[total];
        int at = 0;
        Keep(dq, 0, ref at);
        Keep(dp, 1, ref at);
        Keep(q, 2, ref at);
        Keep(p, 3, ref at);
        Keep(qinv, 4, ref at);
        _loaded = true;
        return true;
    }

    private void Keep(ReadOnlySpan<byte> part, int index, ref int at)
    {
        part.CopyTo(_bytes.AsSpan(at));
        _lengths[index] = part.Length;
        at += part.Length;
    }

    /// <summary>Clears the numbers and frees the contexts, so no secret stays behind once the key is not in use.</summary>
    private void Forget()
    {
        _loaded = false;
        CryptographicOperations.ZeroMemory(_bytes);
        foreach (nint n in (ReadOnlySpan<nint>)[P, Q, Dp, Dq, Qinv, N])
            BN_clear(n);
        if (MontP != 0)
            BN_MONT_CTX_free(MontP);
        if (MontQ != 0)
            BN_MONT_CTX_free(MontQ);
        MontP = 0;
        MontQ = 0;
    }

    private static nint New(bool secret)
    {
        nint n = BN_new();
        if (n == 0)
            throw new InvalidOperationException("BN_new failed.");
        if (secret)
            BN_set_flags(n, FlagConstTime);
        return n;
    }

    ~OpenSslCrtKey()
    {
        Forget();
        foreach (nint n in (ReadOnlySpan<nint>)[P, Q, Dp, Dq, Qinv, N])
        {
            if (n != 0)
                BN_clear_free(n);
        }
    }
}
