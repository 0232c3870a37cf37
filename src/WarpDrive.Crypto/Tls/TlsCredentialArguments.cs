using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;

namespace WarpDrive.Crypto.Tls;

/// <summary>The argument checks both WarpDrive TLS credentials make before they take a key.</summary>
internal static class TlsCredentialArguments
{
    /// <summary>Checks the chain and the key; returns the key as an RSA private key.</summary>
    public static RsaKeyParameters RequireRsaPrivateKey(Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(privateKey);
        if (certificate.IsEmpty)
            throw new ArgumentException("The certificate chain is empty.", nameof(certificate));
        return privateKey as RsaKeyParameters is { IsPrivate: true } rsa
            ? rsa
            : throw new ArgumentException("Not an RSA private key.", nameof(privateKey));
    }
}
