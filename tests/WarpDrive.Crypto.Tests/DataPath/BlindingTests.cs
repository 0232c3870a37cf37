using System.Numerics;
using WarpDrive.Crypto.DataPath;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests.DataPath;

/// <summary>
/// Blinding hides the caller's input from the device: the device sees m·r^e, never m, the pair changes on every
/// use (squared, then redrawn after 32 uses), and unblinding the device's answer gives exactly m^d.
/// </summary>
public sealed class BlindingTests
{
    [Fact]
    public void The_device_input_is_blinded_and_the_unblinded_result_is_the_plain_signature()
    {
        var p = RsaKeys.Get(1024);
        var key = RsaKeyMaterial.From(p);
        var blinding = Assert.IsType<RsaBlinding>(key.Blinding);
        var n = new BigInteger(p.Modulus, true, true);
        var d = new BigInteger(p.D, true, true);
        var seen = new HashSet<string>();
        for (int i = 0; i < RsaBlinding.UsesPerFactor * 2 + 3; i++)
        {
            var m = RsaKeys.RandomBytes(128);
            m[0] &= 0x3f;
            var a = new byte[128];
            var ai = new byte[128];
            blinding.Next(a, ai);
            Assert.True(seen.Add(Convert.ToHexString(a)));

            var blinded = new byte[128];
            blinding.Apply(m, a, blinded);
            Assert.NotEqual(m, blinded);
            var deviceAnswer = BigInteger.ModPow(new BigInteger(blinded, true, true), d, n);
            var answerBytes = new byte[128];
            deviceAnswer.TryWriteBytes(answerBytes.AsSpan(128 - deviceAnswer.GetByteCount(true)), out _, true, true);
            var result = new byte[128];
            blinding.Apply(answerBytes, ai, result);
            Assert.Equal(BigInteger.ModPow(new BigInteger(m, true, true), d, n), new BigInteger(result, true, true));
        }
    }

    [Fact]
    public void Keys_without_a_public_exponent_have_it_found_and_are_blinded_unless_it_is_unusual()
    {
        var p = RsaKeys.Get(1024);
        var n = BcKeys.Big(p.Modulus!);
        var plain = RsaKeyMaterial.From(new Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters(true, n, BcKeys.Big(p.D!)));
        Assert.Equal(new System.Numerics.BigInteger(65537), plain.E);
        Assert.NotNull(plain.Blinding);
        Assert.NotNull(RsaKeyMaterial.From(BcKeys.BcPrivate(p)).Blinding);

        // e = 65539 fits none of the usual exponents: no e, so no blinding (as BouncyCastle), and a second computation checks.
        var p1 = BcKeys.Big(p.P!).Subtract(Org.BouncyCastle.Math.BigInteger.One);
        var q1 = BcKeys.Big(p.Q!).Subtract(Org.BouncyCastle.Math.BigInteger.One);
        var d = Org.BouncyCastle.Math.BigInteger.ValueOf(65539).ModInverse(p1.Multiply(q1).Divide(p1.Gcd(q1)));
        var unusual = RsaKeyMaterial.From(new Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters(true, n, d));
        Assert.Null(unusual.E);
        Assert.Null(unusual.Blinding);
    }
}
