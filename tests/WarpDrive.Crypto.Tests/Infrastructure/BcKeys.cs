using System.Security.Cryptography;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using Org.BouncyCastle.Crypto.Parameters;

namespace WarpDrive.Crypto.Tests.Infrastructure;

/// <summary>.NET RSA keys (<see cref="WarpDrive.Tests.Helpers.RsaKeys"/>) in BouncyCastle's forms.</summary>
internal static class BcKeys
{
    public static RsaPrivateCrtKeyParameters BcPrivate(in RSAParameters p) => new(
        Big(p.Modulus!), Big(p.Exponent!), Big(p.D!), Big(p.P!), Big(p.Q!), Big(p.DP!), Big(p.DQ!), Big(p.InverseQ!));

    public static RsaKeyParameters BcPublic(in RSAParameters p) => new(false, Big(p.Modulus!), Big(p.Exponent!));

    public static BcBigInteger Big(byte[] bytes) => new(1, bytes);
}
