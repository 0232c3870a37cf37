using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using WarpDrive.Crypto.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Crypto.Tests.Tls;

/// <summary>Self-signed certificates for test keys, as .NET holds them and as a BouncyCastle TLS chain.</summary>
internal static class TestChains
{
    public static X509Certificate2 SelfSigned(in RSAParameters key, string subject = "CN=localhost")
    {
        using var rsa = RsaKeys.DotNet(key);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public static Certificate Chain(TlsCrypto crypto, X509Certificate2 certificate) =>
        new([crypto.CreateCertificate(certificate.RawData)]);

    public static Certificate Chain(TlsCrypto crypto, in RSAParameters key)
    {
        using var certificate = SelfSigned(key);
        return Chain(crypto, certificate);
    }
}
