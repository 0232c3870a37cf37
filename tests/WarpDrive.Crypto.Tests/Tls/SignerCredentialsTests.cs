using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Tls;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Crypto.Tls;
using BcCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;
using TlsHash = Org.BouncyCastle.Crypto.Tls.HashAlgorithm;

namespace WarpDrive.Crypto.Tests.Tls;

/// <summary>The signer credentials' ServerKeyExchange signatures verify with BouncyCastle's own TLS RSA verifier, from many threads at once.</summary>
public sealed class SignerCredentialsTests
{
    private static readonly RSAParameters s_key = TestKeys.Get(2048, 7);

    private static BcCertificate Chain()
    {
        using var rsa = TestKeys.DotNet(s_key);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        return new([Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(certificate.RawData))]);
    }

    [Theory]
    [InlineData(TlsHash.sha1, 20)]
    [InlineData(TlsHash.sha224, 28)]
    [InlineData(TlsHash.sha256, 32)]
    [InlineData(TlsHash.sha512, 64)]
    public void Tls12_signatures_verify_with_BouncyCastles_TlsRsaSigner(byte hash, int hashLength)
    {
        var context = new FakeTlsContext(ProtocolVersion.TLSv12);
        var pair = new SignatureAndHashAlgorithm(hash, SignatureAlgorithm.rsa);
        var core = new WarpDriveRsaCore(TestPool.Shared);
        var credentials = new WarpDriveTlsSignerCredentials(context, Chain(), TestKeys.BcPrivate(s_key), pair, core);
        var verifier = new TlsRsaSigner();
        verifier.Init(context);
        Parallel.For(0, 8, _ =>
        {
            var digest = TestKeys.RandomBytes(hashLength);
            var signature = credentials.GenerateCertificateSignature(digest);
            Assert.True(verifier.VerifyRawSignature(pair, signature, TestKeys.BcPublic(s_key), digest));
        });
        Assert.Equal(8, core.Statistics.PrivateOperations);
    }

    [Fact]
    public void Create_picks_the_clients_first_rsa_pair_and_defaults_to_sha1()
    {
        var context = new FakeTlsContext(ProtocolVersion.TLSv12);
        var offered = new System.Collections.ArrayList
        {
            new SignatureAndHashAlgorithm(TlsHash.sha256, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(TlsHash.sha384, SignatureAlgorithm.rsa),
        };
        var chosen = WarpDriveTlsSignerCredentials.Create(context, offered, Chain(), TestKeys.BcPrivate(s_key));
        Assert.Equal(TlsHash.sha384, chosen.SignatureAndHashAlgorithm.Hash);
        var fallback = WarpDriveTlsSignerCredentials.Create(context, null, Chain(), TestKeys.BcPrivate(s_key));
        Assert.Equal(TlsHash.sha1, fallback.SignatureAndHashAlgorithm.Hash);
        Assert.Throws<ArgumentException>(() => new WarpDriveTlsSignerCredentials(context, Chain(), TestKeys.BcPublic(s_key), null));
    }
}
