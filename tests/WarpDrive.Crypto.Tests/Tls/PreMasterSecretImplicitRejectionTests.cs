using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Crypto.Tls;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests.Tls;

/// <summary>
/// The RSA key exchange's pre-master secret: a valid one comes back exactly; bad padding, a wrong length, a wrong
/// version or an out-of-range ciphertext give a fresh random 48-byte secret instead of an error (RFC 5246 §7.4.7.1).
/// </summary>
public sealed class PreMasterSecretImplicitRejectionTests
{
    private static readonly System.Security.Cryptography.RSAParameters s_key = RsaKeys.Get(2048, 7);

    private static (WarpDriveTlsEncryptionCredentials Credentials, TlsCryptoParameters Parameters) Server(WarpDriveRsaCore core)
    {
        var context = new FakeTlsContext(ProtocolVersion.TLSv12);
        var credentials = new WarpDriveTlsEncryptionCredentials(context.Crypto, TestChains.Chain(context.Crypto, s_key), BcKeys.BcPrivate(s_key), core);
        return (credentials, new TlsCryptoParameters(context));
    }

    /// <summary>Raw-encrypts a hand-built block 00 02 PS 00 payload.</summary>
    private static byte[] Encrypt(byte[] payload, byte blockType = 2, int psZeroAt = -1)
    {
        var em = new byte[256];
        em[1] = blockType;
        var ps = RsaKeys.RandomBytes(256 - 3 - payload.Length);
        for (int i = 0; i < ps.Length; i++)
            ps[i] = (byte)(ps[i] | 1);
        if (psZeroAt >= 0)
            ps[psZeroAt] = 0;
        ps.CopyTo(em, 2);
        payload.CopyTo(em, 256 - payload.Length);
        var engine = new RsaEngine();
        engine.Init(true, BcKeys.BcPublic(s_key));
        return engine.ProcessBlock(em, 0, em.Length);
    }

    private static byte[] Secret(byte major = 3, byte minor = 3, int length = 48)
    {
        var secret = RsaKeys.RandomBytes(length);
        secret[0] = major;
        secret[1] = minor;
        return secret;
    }

    [Fact]
    public void A_valid_pre_master_secret_is_returned_exactly()
    {
        var core = new WarpDriveRsaCore(TestPool.Shared);
        var (credentials, parameters) = Server(core);
        var secret = Secret();
        Assert.Equal(secret, credentials.Decrypt(parameters, Encrypt(secret)).Extract());
        Assert.Equal(1, core.Statistics.PrivateOperations);
        Assert.Equal("soft-0", core.Statistics.LastServedBy);
    }

    public static TheoryData<string> BadCases => new() { "block type 1", "zero in padding", "short secret", "long secret", "old version", "short ciphertext", "modulus" };

    [Theory]
    [MemberData(nameof(BadCases))]
    public void A_bad_pre_master_secret_becomes_a_random_one_without_an_error(string bad)
    {
        var (credentials, parameters) = Server(new WarpDriveRsaCore(TestPool.Shared));
        var secret = Secret();
        byte[] ciphertext = bad switch
        {
            "block type 1" => Encrypt(secret, blockType: 1),
            "zero in padding" => Encrypt(secret, psZeroAt: 20),
            "short secret" => Encrypt(Secret(length: 47)),
            "long secret" => Encrypt(Secret(length: 49)),
            "old version" => Encrypt(secret = Secret(minor: 1)),
            "short ciphertext" => Encrypt(secret)[1..],
            _ => s_key.Modulus!,
        };
        var first = credentials.Decrypt(parameters, ciphertext).Extract();
        var second = credentials.Decrypt(parameters, ciphertext).Extract();
        Assert.Equal(48, first.Length);
        Assert.Equal(48, second.Length);
        Assert.NotEqual(secret, first);
        Assert.NotEqual(first, second);
    }
}
