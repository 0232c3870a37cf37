using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using System.Runtime.CompilerServices;
using Org.BouncyCastle.Tls;
using WarpDrive.Crypto.DataPath;

namespace WarpDrive.Crypto.Tls;

/// <summary>The argument checks both WarpDrive TLS credentials make before they take a key, and the key's preparation.</summary>
internal static class TlsCredentialArguments
{
    // A server builds credentials per handshake from the same key object: its device layout, Montgomery context and
    // blinding state are prepared once and shared (RsaKeyMaterial is thread-safe; BouncyCastle keys are immutable).
    private static readonly ConditionalWeakTable<RsaKeyParameters, RsaKeyMaterial> s_prepared = new();

    /// <summary>Checks the chain and the key; returns the key prepared for the device, once per key object.</summary>
    public static RsaKeyMaterial PreparedKey(Certificate certificate, AsymmetricKeyParameter privateKey) =>
        s_prepared.GetValue(RequireRsaPrivateKey(certificate, privateKey), static key => RsaKeyMaterial.From(key));

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
