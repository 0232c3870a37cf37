using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using WarpDrive.Crypto.DataPath;

namespace WarpDrive.Crypto.Tls;

/// <summary>
/// RSA signer credentials for BouncyCastle's TLS server (<c>Org.BouncyCastle.Tls</c>, ECDHE_RSA and DHE_RSA suites):
/// what <c>BcDefaultTlsCredentialedSigner</c> does for an RSA key, with the ServerKeyExchange signature's private
/// operation run on WarpDrive (blinded, checked, one HPRE request). Signs PKCS #1 v1.5 (<c>rsa</c> pairs, and the
/// MD5‖SHA-1 form before TLS 1.2) and RSASSA-PSS (<c>rsa_pss_rsae_*</c>). Thread-safe: concurrent handshakes may
/// share one <see cref="WarpDriveRsaCore"/>.
/// </summary>
/// <example>
/// <code>
/// protected override TlsCredentialedSigner GetRsaSignerCredentials() =>
///     WarpDriveTlsSignerCredentials.Create(m_context, m_context.SecurityParameters.ClientSigAlgs, certificate, privateKey, core);
/// </code>
/// </example>
public sealed class WarpDriveTlsSignerCredentials : DefaultTlsCredentialedSigner
{
    /// <summary>Credentials signing with <paramref name="privateKey"/> on <paramref name="core"/> (a new core on the process-wide pool when null).</summary>
    /// <param name="context">The server's TLS context, its version negotiated.</param>
    /// <param name="certificate">The server's certificate chain, whose first certificate holds the matching public key.</param>
    /// <param name="privateKey">The RSA private key (<see cref="RsaPrivateCrtKeyParameters"/> for CRT and blinding).</param>
    /// <param name="signatureAndHashAlgorithm">For TLS 1.2, the pair to sign with (<c>rsa</c> or <c>rsa_pss_rsae_*</c>); null before TLS 1.2.</param>
    /// <param name="core">The core to run on, whose <see cref="WarpDriveRsaCore.Statistics"/> then count the signatures.</param>
    /// <exception cref="ArgumentException">The key is not a usable private RSA key, or the pair does not fit the key or the negotiated version.</exception>
    public WarpDriveTlsSignerCredentials(TlsContext context, Certificate certificate, AsymmetricKeyParameter privateKey,
        SignatureAndHashAlgorithm? signatureAndHashAlgorithm, WarpDriveRsaCore? core = null)
        : base(Parameters(context), Signer(certificate, privateKey, core ??= new WarpDriveRsaCore()), certificate, signatureAndHashAlgorithm)
    {
        bool tls12 = TlsUtilities.IsTlsV12(context);
        if (tls12 != (signatureAndHashAlgorithm is not null))
            throw new ArgumentException(tls12 ? "TLS 1.2 needs a signature and hash algorithm." : "A signature and hash algorithm is only used from TLS 1.2 on.", nameof(signatureAndHashAlgorithm));
        if (!WarpDriveTlsSigner.Supports(signatureAndHashAlgorithm))
            throw new ArgumentException($"An RSA key does not sign with {signatureAndHashAlgorithm}.", nameof(signatureAndHashAlgorithm));
        Core = core;
    }

    /// <summary>
    /// Credentials for the server's current handshake: for TLS 1.2, the first pair among the client's
    /// <paramref name="clientSignatureAlgorithms"/> that an RSA key signs (SHA-1 with RSA when the client sent none, as
    /// RFC 5246 §7.4.1.4.1 says).
    /// </summary>
    /// <param name="context">The server's TLS context.</param>
    /// <param name="clientSignatureAlgorithms">The client's <c>signature_algorithms</c> (<c>m_context.SecurityParameters.ClientSigAlgs</c> in a server).</param>
    /// <param name="certificate">The server's certificate chain.</param>
    /// <param name="privateKey">The RSA private key.</param>
    /// <param name="core">The core to run on; a new one on the process-wide pool when null.</param>
    /// <exception cref="TlsFatalAlert">The client accepts no pair an RSA key signs (<c>handshake_failure</c>).</exception>
    public static WarpDriveTlsSignerCredentials Create(TlsContext context, IList<SignatureAndHashAlgorithm>? clientSignatureAlgorithms,
        Certificate certificate, AsymmetricKeyParameter privateKey, WarpDriveRsaCore? core = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        SignatureAndHashAlgorithm? pair = null;
        if (TlsUtilities.IsTlsV12(context))
        {
            var offered = clientSignatureAlgorithms ?? TlsUtilities.GetDefaultSignatureAlgorithms(SignatureAlgorithm.rsa);
            pair = offered.FirstOrDefault(a => a is not null && WarpDriveTlsSigner.Supports(a))
                ?? throw new TlsFatalAlert(AlertDescription.handshake_failure, "The client accepts no signature an RSA key makes.");
        }
        return new WarpDriveTlsSignerCredentials(context, certificate, privateKey, pair, core);
    }

    /// <summary>The core the signatures run on.</summary>
    public WarpDriveRsaCore Core { get; }

    private static TlsCryptoParameters Parameters(TlsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TlsCryptoParameters(context);
    }

    private static WarpDriveTlsSigner Signer(Certificate certificate, AsymmetricKeyParameter privateKey, WarpDriveRsaCore core) =>
        new(TlsCredentialArguments.PreparedKey(certificate, privateKey), core);
}
