using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using WarpDrive.Crypto.DataPath;

namespace WarpDrive.Crypto.Tls;

/// <summary>
/// RSA decryption credentials for BouncyCastle's TLS server (<c>Org.BouncyCastle.Tls</c>; the RSA key exchange,
/// <c>TLS_RSA_*</c> suites): what <c>BcDefaultTlsCredentialedDecryptor</c> does for an RSA key, where the
/// client's encrypted pre-master secret is decrypted by a private operation on WarpDrive (blinded, checked, one
/// HPRE request), then unpadded with implicit rejection (RFC 5246 §7.4.7.1): whatever is wrong — padding, length,
/// version — the result is a random 48-byte secret instead, chosen without a branch or early exit, so the handshake
/// fails later at Finished and no padding oracle is exposed.
/// </summary>
public sealed class WarpDriveTlsEncryptionCredentials : TlsCredentialedDecryptor
{
    private const int SecretLength = 48;

    private readonly TlsCrypto _crypto;
    private readonly RsaKeyMaterial _key;
    private readonly WarpDriveRsaCore _core;

    /// <summary>Credentials decrypting with <paramref name="privateKey"/> on <paramref name="core"/> (a new core on the process-wide pool when null).</summary>
    /// <param name="crypto">The server's TLS crypto (<c>m_context.Crypto</c>), which holds the secret it returns.</param>
    /// <param name="certificate">The server's certificate chain, whose first certificate holds the matching public key.</param>
    /// <param name="privateKey">The RSA private key.</param>
    /// <param name="core">The core to run on, whose <see cref="WarpDriveRsaCore.Statistics"/> then count the decryptions.</param>
    /// <exception cref="ArgumentException">The key is not a usable RSA private key.</exception>
    public WarpDriveTlsEncryptionCredentials(TlsCrypto crypto, Certificate certificate, AsymmetricKeyParameter privateKey, WarpDriveRsaCore? core = null)
    {
        ArgumentNullException.ThrowIfNull(crypto);
        _key = TlsCredentialArguments.PreparedKey(certificate, privateKey);
        _crypto = crypto;
        Certificate = certificate;
        _core = core ?? new WarpDriveRsaCore();
    }

    /// <summary>The server's certificate chain.</summary>
    public Certificate Certificate { get; }

    /// <summary>The core the decryptions run on.</summary>
    public WarpDriveRsaCore Core => _core;

    /// <summary>The 48-byte pre-master secret; a random one when the ciphertext does not hold a valid one.</summary>
    /// <param name="cryptoParams">The handshake's parameters, whose <c>RsaPreMasterSecretVersion</c> the secret must start with.</param>
    /// <param name="ciphertext">The client's encrypted pre-master secret.</param>
    /// <exception cref="TlsFatalAlert">The device could not decrypt (<c>internal_error</c>).</exception>
    public TlsSecret Decrypt(TlsCryptoParameters cryptoParams, byte[] ciphertext)
    {
        ArgumentNullException.ThrowIfNull(cryptoParams);
        ArgumentNullException.ThrowIfNull(ciphertext);
        var secret = DecryptPreMasterSecret(ciphertext, cryptoParams.RsaPreMasterSecretVersion);
        return _crypto.CreateSecret(secret);
    }

    private byte[] DecryptPreMasterSecret(byte[] encryptedPreMasterSecret, ProtocolVersion version)
    {
        var fallback = new byte[SecretLength];
        _crypto.SecureRandom.NextBytes(fallback);
        int k = _key.ModulusBytes;
        var block = new byte[_key.Width];
        var result = new byte[_key.Width];
        int good = 1;
        // The ciphertext's length and range are public: only they may decide whether the device is asked at all.
        if (encryptedPreMasterSecret.Length == k)
        {
            encryptedPreMasterSecret.CopyTo(block, _key.Width - k);
            if (RsaMath.Compare(block, _key.Modulus) < 0)
            {
                try
                {
                    _core.Runner.Private(_key, block, result, blind: true);
                }
                catch (CryptographicException e)
                {
                    throw new TlsFatalAlert(AlertDescription.internal_error, e);
                }
            }
            else
            {
                good = 0;
            }
        }
        else
        {
            good = 0;
        }

        // EM = 00 02 PS(k−51 nonzero bytes) 00 version(2) random(46), checked without branches.
        var em = result.AsSpan(_key.Width - k);
        good &= IsZero(em[0]) & IsZero((byte)(em[1] ^ 2));
        for (int i = 2; i < k - SecretLength - 1; i++)
            good &= 1 ^ IsZero(em[i]);
        good &= IsZero(em[k - SecretLength - 1]);
        good &= IsZero((byte)(em[k - SecretLength] ^ version.MajorVersion)) & IsZero((byte)(em[k - SecretLength + 1] ^ version.MinorVersion));
        byte mask = (byte)-good;
        var secret = new byte[SecretLength];
        var m = em[(k - SecretLength)..];
        for (int i = 0; i < SecretLength; i++)
            secret[i] = (byte)((m[i] & mask) | (fallback[i] & ~mask));
        CryptographicOperations.ZeroMemory(result);
        CryptographicOperations.ZeroMemory(fallback);
        return secret;
    }

    private static int IsZero(byte b) => (int)(((uint)b - 1) >> 31);
}
