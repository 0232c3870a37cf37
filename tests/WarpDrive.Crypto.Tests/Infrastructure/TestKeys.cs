using System.Collections.Concurrent;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace WarpDrive.Crypto.Tests.Infrastructure;

/// <summary>
/// RSA keys for tests, made by the platform's generator (fast) and cached per size and index, so a 4096-bit key
/// is generated once per run. Also converts between .NET and BouncyCastle key forms.
/// </summary>
internal static class TestKeys
{
    private static readonly ConcurrentDictionary<(int Bits, int Index), RSAParameters> s_keys = new();

    /// <summary>The <paramref name="index"/>-th cached key of <paramref name="bits"/> bits.</summary>
    public static RSAParameters Get(int bits, int index = 0) =>
        s_keys.GetOrAdd((bits, index), static k =>
        {
            using var rsa = RSA.Create(k.Bits);
            return rsa.ExportParameters(includePrivateParameters: true);
        });

    public static RsaPrivateCrtKeyParameters BcPrivate(in RSAParameters p) => new(
        Big(p.Modulus!), Big(p.Exponent!), Big(p.D!), Big(p.P!), Big(p.Q!), Big(p.DP!), Big(p.DQ!), Big(p.InverseQ!));

    public static RsaKeyParameters BcPublic(in RSAParameters p) => new(false, Big(p.Modulus!), Big(p.Exponent!));

    public static RSA DotNet(in RSAParameters p, bool includePrivate = true)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(includePrivate ? p : new RSAParameters { Modulus = p.Modulus, Exponent = p.Exponent });
        return rsa;
    }

    public static BcBigInteger Big(byte[] bytes) => new(1, bytes);

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        RandomNumberGenerator.Fill(bytes);
        return bytes;
    }
}
