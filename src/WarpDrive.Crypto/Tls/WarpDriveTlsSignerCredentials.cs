using System.Collections;
using HashAlgorithmName = System.Security.Cryptography.HashAlgorithmName;
using CryptographicException = System.Security.Cryptography.CryptographicException;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Tls;
using WarpDrive.Crypto.Engine;
using WarpDrive.Crypto.Padding;

namespace WarpDrive.Crypto.Tls;

/// <summary>
/// RSA signer credentials for BouncyCastle's TLS server (ECDHE_RSA and DHE_RSA suites): what
/// <c>DefaultTlsSignerCredentials</c> does, with the ServerKeyExchange signature's private operation run on
/// WarpDrive (blinded, checked, one HPRE request). Thread-safe: concurrent handshakes may share one instance and
/// one <see cref="WarpDriveRsaCore"/>.
/// </summary>
/// <example>
/// <code>
/// protected override TlsSignerCredentials GetRsaSignerCredentials() =>
///     WarpDriveTlsSignerCredentials.Create(mContext, mSupportedSignatureAlgorithms, certificate, privateKey, core);
/// </code>
/// </example>
public sealed class WarpDriveTlsSignerCredentials : AbstractTlsSignerCredentials
{
    private readonly TlsContext _context;
    private readonly RsaKeyMaterial _key;
    private readonly SignatureAndHashAlgorithm? _signatureAndHashAlgorithm;
    private readonly WarpDriveRsaCore _core;

    /// <summary>Credentials signing with <paramref name="privateKey"/> on <paramref name="core"/> (a new core on the process-wide pool when null).</summary>
    /// <param name="context">The server's TLS context.</param>
    /// <param name="certificate">The server's certificate chain, whose first certificate holds the matching public key.</param>
    /// <param name="privateKey">The RSA private key (<see cref="RsaPrivateCrtKeyParameters"/> for CRT and blinding).</param>
    /// <param name="signatureAndHashAlgorithm">For TLS 1.2, the algorithm pair to sign with (RSA); null before TLS 1.2.</param>
    /// <param name="core">The core to run on, whose <see cref="WarpDriveRsaCore.Statistics"/> then count the signatures.</param>
    /// <exception cref="ArgumentException">The key is not a usable private RSA key, or the algorithm pair does not fit the negotiated version.</exception>
    public WarpDriveTlsSignerCredentials(TlsContext context, Certificate certificate, AsymmetricKeyParameter privateKey,
        SignatureAndHashAlgorithm? signatureAndHashAlgorithm, WarpDriveRsaCore? core = null)
    {
        var rsa = TlsCredentialArguments.RequireRsaPrivateKey(context, certificate, privateKey);
        bool tls12 = TlsUtilities.IsTlsV12(context);
        if (tls12 != (signatureAndHashAlgorithm is not null))
            throw new ArgumentException(tls12 ? "TLS 1.2 needs a signature and hash algorithm." : "A signature and hash algorithm is only used from TLS 1.2 on.", nameof(signatureAndHashAlgorithm));
        if (signatureAndHashAlgorithm is not null && signatureAndHashAlgorithm.Signature != SignatureAlgorithm.rsa)
            throw new ArgumentException("The signature algorithm must be RSA.", nameof(signatureAndHashAlgorithm));
        _context = context;
        Certificate = certificate;
        _key = RsaKeyMaterial.From(rsa);
        _signatureAndHashAlgorithm = signatureAndHashAlgorithm;
        _core = core ?? new WarpDriveRsaCore();
    }

    /// <summary>
    /// Credentials for the server's current handshake: for TLS 1.2, the first RSA pair among the client's
    /// <paramref name="supportedSignatureAlgorithms"/> (SHA-1 with RSA when the client sent none, as RFC 5246 says).
    /// </summary>
    /// <param name="context">The server's TLS context.</param>
    /// <param name="supportedSignatureAlgorithms">The client's <c>signature_algorithms</c> (<c>mSupportedSignatureAlgorithms</c> in a server).</param>
    /// <param name="certificate">The server's certificate chain.</param>
    /// <param name="privateKey">The RSA private key.</param>
    /// <param name="core">The core to run on; a new one on the process-wide pool when null.</param>
    public static WarpDriveTlsSignerCredentials Create(TlsContext context, IList? supportedSignatureAlgorithms, Certificate certificate,
        AsymmetricKeyParameter privateKey, WarpDriveRsaCore? core = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        SignatureAndHashAlgorithm? pair = null;
        if (TlsUtilities.IsTlsV12(context))
        {
            pair = supportedSignatureAlgorithms?.OfType<SignatureAndHashAlgorithm>()
                .FirstOrDefault(a => a.Signature == SignatureAlgorithm.rsa && a.Hash is >= HashAlgorithm.sha1 and <= HashAlgorithm.sha512)
                ?? new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.rsa);
        }
        return new WarpDriveTlsSignerCredentials(context, certificate, privateKey, pair, core);
    }

    /// <summary>The server's certificate chain.</summary>
    public override Certificate Certificate { get; }

    /// <summary>The pair signatures are made with (TLS 1.2), or null.</summary>
    public override SignatureAndHashAlgorithm SignatureAndHashAlgorithm => _signatureAndHashAlgorithm!;

    /// <summary>The core the signatures run on.</summary>
    public WarpDriveRsaCore Core => _core;

    /// <summary>Signs the handshake hash: PKCS #1 v1.5 over DigestInfo (TLS 1.2) or over MD5‖SHA-1 (earlier).</summary>
    /// <exception cref="TlsFatalAlert">The signature could not be made.</exception>
    public override byte[] GenerateCertificateSignature(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        // What BouncyCastle's TlsRsaSigner produces — PKCS #1 v1.5 over DigestInfo(hash) for TLS 1.2, over the bare
        // MD5‖SHA-1 before it — built here so concurrent handshakes share the prepared key without re-initialising
        // an engine.
        var block = new byte[_key.Width];
        var em = block.AsSpan(_key.Width - _key.ModulusBytes);
        var result = new byte[_key.Width];
        try
        {
            if (_signatureAndHashAlgorithm is { } pair)
                RsaPadding.EncodePkcs1Signature(hash, HashName(pair.Hash), em);
            else
                RsaPadding.EncodePkcs1Raw(hash, em);
            _core.Runner.Private(_key, block, result, blind: true);
            return result[(_key.Width - _key.ModulusBytes)..];
        }
        catch (CryptographicException e)
        {
            throw new TlsFatalAlert(AlertDescription.internal_error, e);
        }
    }

    private static HashAlgorithmName HashName(byte hash) => hash switch
    {
        HashAlgorithm.md5 => HashAlgorithmName.MD5,
        HashAlgorithm.sha1 => HashAlgorithmName.SHA1,
        HashAlgorithm.sha224 => new HashAlgorithmName("SHA224"),
        HashAlgorithm.sha256 => HashAlgorithmName.SHA256,
        HashAlgorithm.sha384 => HashAlgorithmName.SHA384,
        HashAlgorithm.sha512 => HashAlgorithmName.SHA512,
        _ => throw new TlsFatalAlert(AlertDescription.internal_error),
    };
}
