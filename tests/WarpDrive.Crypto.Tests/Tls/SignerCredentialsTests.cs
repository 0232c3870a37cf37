using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using TlsHash = Org.BouncyCastle.Tls.HashAlgorithm;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Crypto.Tls;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests.Tls;

/// <summary>
/// The signer credentials' ServerKeyExchange signatures verify with BouncyCastle's own TLS RSA verifiers — PKCS #1
/// v1.5, RSASSA-PSS and the pre-1.2 MD5‖SHA-1 form — from many threads at once, and the pair is the client's choice.
/// </summary>
public sealed class SignerCredentialsTests
{
    private static readonly RSAParameters s_key = RsaKeys.Get(2048, 7);

    public static TheoryData<short, short, int> Pairs => new()
    {
        { TlsHash.sha1, SignatureAlgorithm.rsa, 20 },
        { TlsHash.sha224, SignatureAlgorithm.rsa, 28 },
        { TlsHash.sha256, SignatureAlgorithm.rsa, 32 },
        { TlsHash.sha512, SignatureAlgorithm.rsa, 64 },
        { TlsHash.Intrinsic, SignatureAlgorithm.rsa_pss_rsae_sha256, 32 },
        { TlsHash.Intrinsic, SignatureAlgorithm.rsa_pss_rsae_sha384, 48 },
        { TlsHash.Intrinsic, SignatureAlgorithm.rsa_pss_rsae_sha512, 64 },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Tls12_signatures_verify_with_BouncyCastles_TLS_verifier(short hash, short signature, int hashLength)
    {
        var context = new FakeTlsContext(ProtocolVersion.TLSv12);
        var pair = new SignatureAndHashAlgorithm(hash, signature);
        var core = new WarpDriveRsaCore(TestPool.Shared);
        var credentials = new WarpDriveTlsSignerCredentials(context, TestChains.Chain(context.Crypto, s_key), BcKeys.BcPrivate(s_key), pair, core);
        TlsVerifier verifier = SignatureScheme.IsRsaPss(SignatureScheme.From(pair))
            ? new BcTlsRsaPssVerifier(context.BcCrypto, BcKeys.BcPublic(s_key), SignatureScheme.From(pair))
            : new BcTlsRsaVerifier(context.BcCrypto, BcKeys.BcPublic(s_key));
        Parallel.For(0, 8, _ =>
        {
            var digest = RsaKeys.RandomBytes(hashLength);
            var made = credentials.GenerateRawSignature(digest);
            Assert.True(verifier.VerifyRawSignature(new DigitallySigned(pair, made), digest));
            digest[0] ^= 1;
            Assert.False(verifier.VerifyRawSignature(new DigitallySigned(pair, made), digest));
        });
        Assert.Equal(8, core.Statistics.PrivateOperations);
    }

    [Fact]
    public void Tls10_signatures_over_md5_and_sha1_verify_with_BouncyCastles_TLS_verifier()
    {
        var context = new FakeTlsContext(ProtocolVersion.TLSv10);
        var credentials = new WarpDriveTlsSignerCredentials(context, TestChains.Chain(context.Crypto, s_key), BcKeys.BcPrivate(s_key), null,
            new WarpDriveRsaCore(TestPool.Shared));
        var hash = RsaKeys.RandomBytes(36);
        var made = credentials.GenerateRawSignature(hash);
        Assert.True(new BcTlsRsaVerifier(context.BcCrypto, BcKeys.BcPublic(s_key)).VerifyRawSignature(new DigitallySigned(null, made), hash));
    }

    [Fact]
    public void Create_picks_the_clients_first_pair_an_RSA_key_signs_and_defaults_to_sha1()
    {
        var context = new FakeTlsContext(ProtocolVersion.TLSv12);
        var chain = TestChains.Chain(context.Crypto, s_key);
        var key = BcKeys.BcPrivate(s_key);
        SignatureAndHashAlgorithm[] offered =
        [
            new(TlsHash.sha256, SignatureAlgorithm.ecdsa),
            SignatureAndHashAlgorithm.rsa_pss_pss_sha256,
            new(TlsHash.sha384, SignatureAlgorithm.rsa),
            SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
        ];
        Assert.Equal(new SignatureAndHashAlgorithm(TlsHash.sha384, SignatureAlgorithm.rsa), WarpDriveTlsSignerCredentials.Create(context, offered, chain, key).SignatureAndHashAlgorithm);
        Assert.Equal(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256, WarpDriveTlsSignerCredentials.Create(context, offered[3..], chain, key).SignatureAndHashAlgorithm);
        Assert.Equal(TlsHash.sha1, WarpDriveTlsSignerCredentials.Create(context, null, chain, key).SignatureAndHashAlgorithm.Hash);
        var refused = Assert.Throws<TlsFatalAlert>(() => WarpDriveTlsSignerCredentials.Create(context, offered[..2], chain, key));
        Assert.Equal(AlertDescription.handshake_failure, refused.AlertDescription);
    }

    [Fact]
    public void Wrong_keys_pairs_and_versions_are_argument_errors()
    {
        var context = new FakeTlsContext(ProtocolVersion.TLSv12);
        var chain = TestChains.Chain(context.Crypto, s_key);
        var rsa = new SignatureAndHashAlgorithm(TlsHash.sha256, SignatureAlgorithm.rsa);
        Assert.Throws<ArgumentException>(() => new WarpDriveTlsSignerCredentials(context, chain, BcKeys.BcPublic(s_key), rsa));
        Assert.Throws<ArgumentException>(() => new WarpDriveTlsSignerCredentials(context, chain, BcKeys.BcPrivate(s_key), null));
        Assert.Throws<ArgumentException>(() => new WarpDriveTlsSignerCredentials(context, chain, BcKeys.BcPrivate(s_key), SignatureAndHashAlgorithm.rsa_pss_pss_sha256));
        Assert.Throws<ArgumentException>(() => new WarpDriveTlsSignerCredentials(context, new Certificate([]), BcKeys.BcPrivate(s_key), rsa));
        Assert.Throws<ArgumentException>(() => new WarpDriveTlsSignerCredentials(new FakeTlsContext(ProtocolVersion.TLSv11), chain, BcKeys.BcPrivate(s_key), rsa));
    }
}
