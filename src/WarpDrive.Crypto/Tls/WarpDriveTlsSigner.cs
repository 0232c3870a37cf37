using HashAlgorithmName = System.Security.Cryptography.HashAlgorithmName;
using CryptographicException = System.Security.Cryptography.CryptographicException;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using WarpDrive.Crypto.DataPath;
using WarpDrive.Crypto.Padding;

namespace WarpDrive.Crypto.Tls;

/// <summary>
/// BouncyCastle's <see cref="TlsSigner"/> for an RSA key on WarpDrive: what <c>BcTlsRsaSigner</c> and
/// <c>BcTlsRsaPssSigner</c> produce — PKCS #1 v1.5 over DigestInfo (TLS 1.2 <c>rsa</c> pairs), over the bare MD5‖SHA-1
/// (before TLS 1.2), or EMSA-PSS with a salt as long as the hash (<c>rsa_pss_rsae_*</c>) — encoded here and signed by
/// one blinded, checked private operation. The key is prepared once, so concurrent handshakes share it.
/// </summary>
internal sealed class WarpDriveTlsSigner(RsaKeyMaterial key, WarpDriveRsaCore core) : TlsSigner
{
    /// <summary>Whether this signer makes signatures of <paramref name="algorithm"/> (null: TLS before 1.2).</summary>
    public static bool Supports(SignatureAndHashAlgorithm? algorithm) => algorithm is null || TryHashOf(algorithm, out _, out _);

    public byte[] GenerateRawSignature(SignatureAndHashAlgorithm? algorithm, byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (algorithm is not null && !TryHashOf(algorithm, out _, out _))
            throw new InvalidOperationException($"An RSA key does not sign with {algorithm}.");
        var block = new byte[key.Width];
        var em = block.AsSpan(key.Width - key.ModulusBytes);
        var result = new byte[key.Width];
        try
        {
            if (algorithm is null)
                RsaPadding.EncodePkcs1Raw(hash, em);
            else if (TryHashOf(algorithm, out var name, out bool pss) && pss)
                RsaPadding.EncodePss(hash, name, key.ModulusBits, em);
            else
                RsaPadding.EncodePkcs1Signature(hash, name, em);
            core.Runner.Private(key, block, result, blind: true);
            return result[(key.Width - key.ModulusBytes)..];
        }
        catch (CryptographicException e)
        {
            throw new TlsFatalAlert(AlertDescription.internal_error, e);
        }
    }

    /// <summary>None: TLS hands this signer the finished hash.</summary>
    public TlsStreamSigner? GetStreamSigner(SignatureAndHashAlgorithm? algorithm) => null;

    private static bool TryHashOf(SignatureAndHashAlgorithm algorithm, out HashAlgorithmName name, out bool pss)
    {
        pss = SignatureScheme.IsRsaPss(SignatureScheme.From(algorithm));
        name = algorithm.Signature switch
        {
            SignatureAlgorithm.rsa => algorithm.Hash switch
            {
                HashAlgorithm.md5 => HashAlgorithmName.MD5,
                HashAlgorithm.sha1 => HashAlgorithmName.SHA1,
                HashAlgorithm.sha224 => new HashAlgorithmName("SHA224"),
                HashAlgorithm.sha256 => HashAlgorithmName.SHA256,
                HashAlgorithm.sha384 => HashAlgorithmName.SHA384,
                HashAlgorithm.sha512 => HashAlgorithmName.SHA512,
                _ => default,
            },
            // rsa_pss_pss_* would need an RSASSA-PSS certificate; only the rsaEncryption-key variants apply here.
            SignatureAlgorithm.rsa_pss_rsae_sha256 => HashAlgorithmName.SHA256,
            SignatureAlgorithm.rsa_pss_rsae_sha384 => HashAlgorithmName.SHA384,
            SignatureAlgorithm.rsa_pss_rsae_sha512 => HashAlgorithmName.SHA512,
            _ => default,
        };
        return name != default;
    }
}
