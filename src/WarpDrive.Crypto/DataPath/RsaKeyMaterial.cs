using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using WarpDrive.Devices.Soft.Engines.Rsa;
using WarpDrive.Drivers.Qm;

namespace WarpDrive.Crypto.DataPath;

/// <summary>
/// One RSA key as the HPRE device takes it (spec §6.3): every number big-endian, right-aligned and zero-padded to
/// the key width <c>ksz</c> (the modulus length rounded up to 8 bytes, as <c>task_len1</c> counts), laid out in the
/// buffers a request points at. Immutable apart from the blinding state, so one key serves many threads.
/// </summary>
internal sealed class RsaKeyMaterial
{
    /// <summary>Smallest modulus accepted, in bits.</summary>
    public const int MinBits = 512;

    /// <summary>Largest modulus accepted, in bits (<c>task_len1</c> is 8 bits wide: 256 × 8 bytes).</summary>
    public const int MaxBits = 16384;

    private RsaKeyMaterial(byte[] modulus, byte[]? publicExponent, byte[]? privateExponent,
        (byte[] P, byte[] Q, byte[] DP, byte[] DQ, byte[] QInv)? crt)
    {
        ModulusBits = RsaMath.Bits(modulus);
        if (ModulusBits is < MinBits or > MaxBits)
            throw new ArgumentException($"RSA keys of {ModulusBits} bits are not supported: the modulus must have {MinBits} to {MaxBits} bits.");
        if ((modulus[^1] & 1) == 0)
            throw new ArgumentException("The RSA modulus is even.");
        ModulusBytes = (ModulusBits + 7) / 8;
        Width = (ModulusBytes + 7) / 8 * 8;
        N = RsaMath.ToBigInteger(modulus);
        Modulus = RsaMath.Pad(modulus, Width);
        Context = RsaModulusContext.Create(Modulus)
            ?? throw new ArgumentException("The RSA modulus is not usable.");

        if (publicExponent is not null)
        {
            var e = RsaMath.ToBigInteger(publicExponent);
            if (e <= BigInteger.One || e >= N || e.IsEven)
                throw new ArgumentException("The RSA public exponent must be odd and between 1 and the modulus.");
            E = e;
            PublicExponent = RsaMath.Pad(publicExponent, Width);
            PublicKey = HpreKeyLayout.NonCrt(Width, PublicExponent, Modulus);
        }

        if (crt is { } c && PrimesFit(c, Width / 2))
        {
            var p = RsaMath.ToBigInteger(c.P);
            var q = RsaMath.ToBigInteger(c.Q);
            if (p * q != N)
                throw new ArgumentException("The RSA key's primes do not multiply to its modulus.");
            PrivateKey = HpreKeyLayout.Crt(Width, c.DQ, c.DP, c.Q, c.P, c.QInv);
            PrivateAlgorithm = HpreAlgorithm.RsaCrt;
        }
        else if (privateExponent is not null)
        {
            // No CRT parameters, or primes too unbalanced for the CRT layout's half-width fields: plain (d, n).
            if (RsaMath.Bits(privateExponent) > ModulusBits)
                throw new ArgumentException("The RSA private exponent is wider than the modulus.");
            PrivateKey = HpreKeyLayout.NonCrt(Width, privateExponent, Modulus);
            PrivateAlgorithm = HpreAlgorithm.RsaNonCrt;
        }
        else if (crt is not null)
        {
            throw new ArgumentException("The RSA key's CRT parameters are wider than half the modulus.");
        }

        if (PrivateKey is not null && E is null && privateExponent is not null)
            AdoptPublicExponent(privateExponent);
        if (PrivateKey is not null && E is not null)
            Blinding = new RsaBlinding(this);
    }

    /// <summary>Public exponents a key without one is tried against: the ones keys are made with.</summary>
    private static readonly int[] s_commonExponents = [65537, 3, 5, 17, 257];

    /// <summary>
    /// A private key given without its public exponent (BouncyCastle's <c>RsaKeyParameters(true, n, d)</c>): finds
    /// e among the usual ones by one constant-time private operation on a fixed probe, <c>(2^d)^e mod n = 2</c>, and
    /// keeps it, so every private result can be checked and blinded as for any key. A key whose e is none of them
    /// is checked by a second computation in software instead (<see cref="RsaRunner"/>).
    /// </summary>
    private void AdoptPublicExponent(byte[] privateExponent)
    {
        Span<byte> probe = stackalloc byte[Width];
        probe.Clear();
        probe[^1] = 2;
        Span<byte> signed = stackalloc byte[Width];
        Span<byte> back = stackalloc byte[Width];
        if (!Context.TryModExp(probe, RsaMath.Pad(privateExponent, Width), signed, secretExponent: true))
            return;
        foreach (int candidate in s_commonExponents)
        {
            var exponent = RsaMath.Pad(new BigInteger(candidate).ToByteArray(isUnsigned: true, isBigEndian: true), Width);
            if (Context.TryModExp(signed, exponent, back, secretExponent: false) && back.SequenceEqual(probe))
            {
                E = candidate;
                PublicExponent = exponent;
                PublicKey = HpreKeyLayout.NonCrt(Width, PublicExponent, Modulus);
                return;
            }
        }
    }

    /// <summary>Bits in the modulus.</summary>
    public int ModulusBits { get; }

    /// <summary>Bytes in the modulus, without padding.</summary>
    public int ModulusBytes { get; }

    /// <summary>The HPRE key width <c>ksz</c>: input, output and each key field are this many bytes (CRT fields half).</summary>
    public int Width { get; }

    /// <summary>True for 1024/2048/3072/4096-bit keys, which hardware HPRE accepts (spec §6.3).</summary>
    public bool IsDeviceSize => Width == ModulusBytes && Width is 128 or 256 or 384 or 512;

    /// <summary>The modulus, <see cref="Width"/> bytes.</summary>
    public byte[] Modulus { get; }

    /// <summary>Cached arithmetic context for the modulus (result checks, blinding).</summary>
    public RsaModulusContext Context { get; }

    /// <summary>The modulus as a number.</summary>
    public BigInteger N { get; }

    /// <summary>The public exponent, when known.</summary>
    public BigInteger? E { get; private set; }

    /// <summary>The public exponent, <see cref="Width"/> bytes, when known.</summary>
    public byte[]? PublicExponent { get; private set; }

    /// <summary>The public key buffer (e, n), when the exponent is known.</summary>
    public byte[]? PublicKey { get; private set; }

    /// <summary>The private key buffer: (dq, dp, q, p, qinv) for CRT, (d, n) otherwise; null for a public key.</summary>
    public byte[]? PrivateKey { get; }

    /// <summary>The algorithm code <see cref="PrivateKey"/> goes with.</summary>
    public HpreAlgorithm PrivateAlgorithm { get; }

    /// <summary>True when the key can do the private operation.</summary>
    public bool IsPrivate => PrivateKey is not null;

    /// <summary>Blinding factors for the private operation; null without the public exponent (as BouncyCastle does).</summary>
    public RsaBlinding? Blinding { get; }

    // BouncyCastle keys are immutable and signers re-Init their engine for every signature: prepare each key
    // object once (padded buffers, Montgomery context, blinding state) for as long as the caller keeps it.
    private static readonly ConditionalWeakTable<Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters, RsaKeyMaterial> s_prepared = new();

    /// <summary>From a BouncyCastle key (public, private, or private with CRT parameters); the same object gives the same material.</summary>
    /// <exception cref="ArgumentException">The key's size or parameters are not usable.</exception>
    public static RsaKeyMaterial From(Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return s_prepared.GetValue(key, Prepare);
    }

    private static RsaKeyMaterial Prepare(Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters key)
    {
        if (key is Org.BouncyCastle.Crypto.Parameters.RsaPrivateCrtKeyParameters k)
        {
            return new RsaKeyMaterial(Bytes(k.Modulus), Bytes(k.PublicExponent), Bytes(k.Exponent),
                (Bytes(k.P), Bytes(k.Q), Bytes(k.DP), Bytes(k.DQ), Bytes(k.QInv)));
        }
        return key.IsPrivate
            ? new RsaKeyMaterial(Bytes(key.Modulus), null, Bytes(key.Exponent), null)
            : new RsaKeyMaterial(Bytes(key.Modulus), Bytes(key.Exponent), null, null);
    }

    /// <summary>From .NET parameters (public only, or private with D and/or the CRT set).</summary>
    /// <exception cref="ArgumentException">The key's size or parameters are not usable.</exception>
    public static RsaKeyMaterial From(in RSAParameters p)
    {
        if (p.Modulus is not { Length: > 0 } || p.Exponent is not { Length: > 0 })
            throw new ArgumentException("RSA parameters need a modulus and a public exponent.");
        bool hasCrt = p.P is not null || p.Q is not null || p.DP is not null || p.DQ is not null || p.InverseQ is not null;
        if (hasCrt && (p.P is null || p.Q is null || p.DP is null || p.DQ is null || p.InverseQ is null))
            throw new ArgumentException("RSA parameters must carry all five CRT values or none.");
        return new RsaKeyMaterial(p.Modulus, p.Exponent, p.D,
            hasCrt ? (p.P!, p.Q!, p.DP!, p.DQ!, p.InverseQ!) : null);
    }

    private static bool PrimesFit((byte[] P, byte[] Q, byte[] DP, byte[] DQ, byte[] QInv) c, int half) =>
        RsaMath.Bits(c.P) <= half * 8 && RsaMath.Bits(c.Q) <= half * 8 && RsaMath.Bits(c.DP) <= half * 8
        && RsaMath.Bits(c.DQ) <= half * 8 && RsaMath.Bits(c.QInv) <= half * 8;

    private static byte[] Bytes(BcBigInteger? value)
    {
        if (value is null || value.SignValue < 0)
            throw new ArgumentException("An RSA key value is missing or negative.");
        return value.ToByteArrayUnsigned();
    }
}
