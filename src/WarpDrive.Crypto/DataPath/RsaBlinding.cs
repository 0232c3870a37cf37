using System.Security.Cryptography;
using WarpDrive.Devices.Soft.Engines.Rsa;

namespace WarpDrive.Crypto.DataPath;

/// <summary>
/// Blinding factors for one private key, as OpenSSL's <c>BN_BLINDING</c> keeps them: a random <c>r</c> gives
/// <c>A = r^e mod n</c> and <c>Ai = r⁻¹ mod n</c>; each use squares both (still a matching pair), and every
/// <see cref="UsesPerFactor"/> uses a fresh <c>r</c> is drawn. The private operation then runs on
/// <c>m·A mod n</c>, and its result times <c>Ai</c> is <c>m^d mod n</c>: what the device (and any timing of it)
/// sees is independent of the caller's input. The arithmetic is <see cref="RsaSoftware"/>'s (libcrypto when it
/// loads). Thread-safe.
/// </summary>
internal sealed class RsaBlinding
{
    /// <summary>Uses of one random value (squared between uses) before a fresh one, as OpenSSL does.</summary>
    public const int UsesPerFactor = 32;

    private readonly RsaKeyMaterial _key;
    private readonly Lock _lock = new();
    private readonly byte[] _a;
    private readonly byte[] _ai;
    private int _uses = UsesPerFactor;

    public RsaBlinding(RsaKeyMaterial key)
    {
        _key = key;
        _a = new byte[key.Width];
        _ai = new byte[key.Width];
    }

    /// <summary>Writes the next pair (A, Ai) into <paramref name="a"/> and <paramref name="ai"/> (key width each).</summary>
    public void Next(Span<byte> a, Span<byte> ai)
    {
        lock (_lock)
        {
            if (_uses >= UsesPerFactor)
            {
                Fresh();
                _uses = 0;
            }
            _a.CopyTo(a);
            _ai.CopyTo(ai);
            // Kept in the context's Montgomery form: (xR)·(xR)·R⁻¹ = x²R.
            if (!_key.Context.TryMontMul(a, a, _a) || !_key.Context.TryMontMul(ai, ai, _ai))
                throw new CryptographicException("The blinding factors could not be updated.");
            _uses++;
        }
    }

    /// <summary><c>value·factor mod n</c> into <paramref name="output"/>, for a factor from <see cref="Next"/> (Montgomery form).</summary>
    public void Apply(ReadOnlySpan<byte> value, ReadOnlySpan<byte> factor, Span<byte> output)
    {
        if (!_key.Context.TryMontMul(value, factor, output))
            throw new CryptographicException("The blinding factor could not be applied.");
    }

    private void Fresh()
    {
        int width = _key.Width;
        Span<byte> r = stackalloc byte[width];
        try
        {
            for (int attempt = 0; attempt < 100; attempt++)
            {
                if (!Draw(r))
                    continue;
                // Branch-free inversion (libcrypto's constant-time path: r is secret).
                if (!RsaSoftware.TryModInverse(r, _key.Modulus, _ai, secret: true))
                    continue; // r shares a factor with n: astronomically unlikely for a real key.
                if (!_key.Context.TryModExp(r, _key.PublicExponent!, _a, secretExponent: false))
                    continue;
                if (!_key.Context.TryToMontgomery(_a, _a) || !_key.Context.TryToMontgomery(_ai, _ai))
                    continue;
                return;
            }
            throw new CryptographicException("No blinding value could be drawn for this RSA key; its modulus is not usable.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(r);
        }
    }

    /// <summary>A random value in [2, n): the modulus's bit length drawn, out-of-range draws rejected.</summary>
    private bool Draw(Span<byte> value)
    {
        int width = _key.Width;
        RandomNumberGenerator.Fill(value[(width - _key.ModulusBytes)..]);
        value[..(width - _key.ModulusBytes)].Clear();
        int excess = _key.ModulusBytes * 8 - _key.ModulusBits;
        value[width - _key.ModulusBytes] &= (byte)(0xff >> excess);
        return RsaMath.Compare(value, _key.Modulus) < 0 && RsaMath.Bits(value) >= 2;
    }
}
