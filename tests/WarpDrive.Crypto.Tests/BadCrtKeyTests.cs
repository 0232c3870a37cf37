using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests;

/// <summary>Keys whose CRT values are inconsistent are refused at import (primes) or caught by the result check (exponents, coefficient).</summary>
public sealed class BadCrtKeyTests
{
    private static readonly RSAParameters s_key = RsaKeys.Get(2048);

    private static byte[] Flip(byte[] value)
    {
        var copy = (byte[])value.Clone();
        copy[^2] ^= 0x04;
        return copy;
    }

    [Fact]
    public void Primes_that_do_not_multiply_to_the_modulus_are_refused_at_import()
    {
        var bad = s_key;
        bad.P = Flip(s_key.P!);
        using var ours = new WarpDriveRsa(2048, TestPool.Shared);
        Assert.Throws<CryptographicException>(() => ours.ImportParameters(bad));
        var engine = new WarpDriveRsaEngine(TestPool.Shared);
        Assert.Throws<ArgumentException>(() => engine.Init(false, BcKeys.BcPrivate(bad)));
        var partial = s_key;
        partial.DQ = null;
        Assert.Throws<CryptographicException>(() => ours.ImportParameters(partial));
    }

    [Theory]
    [InlineData("DP")]
    [InlineData("DQ")]
    [InlineData("InverseQ")]
    public void A_wrong_crt_exponent_or_coefficient_fails_the_check_twice_and_throws(string field)
    {
        var bad = s_key;
        switch (field)
        {
            case "DP": bad.DP = Flip(s_key.DP!); break;
            case "DQ": bad.DQ = Flip(s_key.DQ!); break;
            default: bad.InverseQ = Flip(s_key.InverseQ!); break;
        }
        using var ours = new WarpDriveRsa(bad, TestPool.Shared);
        var hash = SHA256.HashData([1]);
        Assert.Throws<CryptographicException>(() => ours.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal(1, ours.Statistics.FaultsDetected);
        Assert.Equal(0, ours.Statistics.PrivateOperations);

        var engine = new WarpDriveRsaEngine(TestPool.Shared);
        engine.Init(false, BcKeys.BcPrivate(bad));
        var input = RsaKeys.RandomBytes(100);
        Assert.Throws<CryptoException>(() => engine.ProcessBlock(input, 0, input.Length));
    }

    [Fact]
    public void An_even_prime_is_refused_at_import()
    {
        var p = BcKeys.BcPrivate(s_key);
        var evenP = p.P.Add(Org.BouncyCastle.Math.BigInteger.One);
        var key = new RsaPrivateCrtKeyParameters(p.Modulus, p.PublicExponent, p.Exponent, evenP, p.Q, p.DP, p.DQ, p.QInv);
        Assert.Throws<ArgumentException>(() => new WarpDriveRsaEngine(TestPool.Shared).Init(false, key));
    }

    [Fact]
    public void A_private_key_without_crt_values_runs_the_plain_exponentiation()
    {
        var plain = new RsaKeyParameters(true, BcKeys.Big(s_key.Modulus!), BcKeys.Big(s_key.D!));
        var engine = new WarpDriveRsaEngine(TestPool.Shared);
        engine.Init(false, plain);
        var input = RsaKeys.RandomBytes(200);
        var output = engine.ProcessBlock(input, 0, input.Length);
        var reference = new Org.BouncyCastle.Crypto.Engines.RsaEngine();
        reference.Init(false, BcKeys.BcPrivate(s_key));
        Assert.Equal(reference.ProcessBlock(input, 0, input.Length), output);

        using var dotnetPlain = new WarpDriveRsa(new RSAParameters { Modulus = s_key.Modulus, Exponent = s_key.Exponent, D = s_key.D }, TestPool.Shared);
        using var theirs = RsaKeys.DotNet(s_key);
        var hash = SHA256.HashData([2]);
        Assert.Equal(theirs.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), dotnetPlain.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
