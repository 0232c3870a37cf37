using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace HttpsReverseProxy.Tls;

/// <summary>The server's certificate chain and RSA key from PEM files, in the forms both TLS stacks take.</summary>
internal sealed class PemCredentials : IDisposable
{
    private PemCredentials(X509Certificate2 certificate, byte[][] chain, RsaPrivateCrtKeyParameters key)
    {
        Certificate = certificate;
        Chain = chain;
        PrivateKey = key;
    }

    /// <summary>The leaf with its key, for Kestrel's own HTTPS.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The chain's certificates, DER, leaf first, for BouncyCastle.</summary>
    public byte[][] Chain { get; }

    /// <summary>The private key, for BouncyCastle and WarpDrive.</summary>
    public RsaPrivateCrtKeyParameters PrivateKey { get; }

    /// <exception cref="InvalidDataException">The files hold no certificate, or no RSA key matching it.</exception>
    public static PemCredentials Load(string certificatePath, string keyPath)
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(certificatePath);
        if (chain.Count == 0)
            throw new InvalidDataException($"{certificatePath} holds no certificate.");
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(keyPath));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{keyPath} holds no RSA private key: {e.Message}", e);
        }
        var p = rsa.ExportParameters(includePrivateParameters: true);
        using var leafPublic = chain[0].GetRSAPublicKey() ?? throw new InvalidDataException($"{certificatePath}: the certificate's key is not RSA.");
        if (!leafPublic.ExportParameters(false).Modulus!.AsSpan().SequenceEqual(p.Modulus))
            throw new InvalidDataException($"{keyPath} is not the key of the certificate in {certificatePath}.");
        var leaf = chain[0].CopyWithPrivateKey(rsa);
        var key = new RsaPrivateCrtKeyParameters(Big(p.Modulus!), Big(p.Exponent!), Big(p.D!), Big(p.P!), Big(p.Q!), Big(p.DP!), Big(p.DQ!), Big(p.InverseQ!));
        return new PemCredentials(leaf, chain.Select(c => c.RawData).ToArray(), key);
    }

    /// <summary>Writes a self-signed RSA-2048 pair for <c>localhost</c> and 127.0.0.1, for trying the proxy out.</summary>
    public static void Generate(string certificatePath, string keyPath)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public void Dispose() => Certificate.Dispose();

    private static BcBigInteger Big(byte[] bytes) => new(1, bytes);
}
