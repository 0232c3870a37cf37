using System.Security.Cryptography;
using WarpDrive.Crypto.DataPath;
using WarpDrive.Crypto.Padding;
using WarpDrive.Scheduling;

namespace WarpDrive.Crypto;

/// <summary>
/// <see cref="RSA"/> whose raw operations run on WarpDrive queues: a drop-in for <c>RSA.Create()</c>. Signing and
/// decryption are blinded, sent as one HPRE request each and checked (<c>s^e mod n = m</c>) before anything is
/// returned; encryption results are checked against a software recomputation. Padding — PKCS #1 v1.5, OAEP
/// (SHA-1, SHA-2, SHA-3), PSS (salt as long as the hash) — is done here, above the device.
/// </summary>
/// <remarks>
/// Keys of 512 to 16384 bits (in steps of 8); 1024, 2048, 3072 and 4096 run on any device. Import keys with
/// <see cref="ImportParameters"/> or the base class's <c>ImportRSAPrivateKey</c>, <c>ImportPkcs8PrivateKey</c>,
/// <c>ImportSubjectPublicKeyInfo</c>, <c>ImportFromPem</c>…, which parse and then call it. Without an imported key, a
/// key of <see cref="AsymmetricAlgorithm.KeySize"/> bits is generated on first use. Thread-safe for concurrent
/// operations; the async methods wait for the device without blocking a thread.
/// </remarks>
public sealed partial class WarpDriveRsa : RSA
{
    private readonly Lock _keyLock = new();
    private RsaKeyMaterial? _key;
    private RSAParameters _parameters;
    private bool _disposed;

    /// <summary>A 2048-bit key (generated on first use) on the process-wide pool.</summary>
    public WarpDriveRsa()
        : this(2048, null)
    {
    }

    /// <summary>A key of <paramref name="keySizeInBits"/> (generated on first use) on <paramref name="pool"/>, or the process-wide pool.</summary>
    /// <exception cref="CryptographicException">The key size is not one of <see cref="AsymmetricAlgorithm.LegalKeySizes"/>.</exception>
    public WarpDriveRsa(int keySizeInBits, AcceleratorPool? pool = null)
    {
        LegalKeySizesValue = [new KeySizes(RsaKeyMaterial.MinBits, RsaKeyMaterial.MaxBits, 8)];
        Runner = new RsaRunner(pool ?? WarpDriveAccelerator.Shared, new RsaOperationStatistics());
        KeySize = keySizeInBits;
    }

    /// <summary>The key in <paramref name="parameters"/> on <paramref name="pool"/>, or the process-wide pool.</summary>
    /// <exception cref="CryptographicException">The key is not usable.</exception>
    public WarpDriveRsa(RSAParameters parameters, AcceleratorPool? pool = null)
        : this(2048, pool)
    {
        ImportParameters(parameters);
    }

    /// <summary>The pool the requests run on.</summary>
    public AcceleratorPool Pool => Runner.Pool;

    /// <summary>Counts of the raw operations run, and where.</summary>
    public RsaOperationStatistics Statistics => Runner.Statistics;

    internal RsaRunner Runner { get; }

    /// <summary>The key size in bits; setting it to a new size discards the key, and a new one is generated on first use.</summary>
    public override int KeySize
    {
        get => base.KeySize;
        set
        {
            lock (_keyLock)
            {
                if (_key is not null && value == KeySizeValue)
                    return;
                base.KeySize = value;
                ForgetKey();
            }
        }
    }

    /// <summary>Imports a public key (modulus, exponent) or a private key (with <c>D</c> and/or the CRT values).</summary>
    /// <exception cref="CryptographicException">The parameters do not make a usable key: wrong size, even modulus, primes that do not multiply to the modulus, missing values.</exception>
    public override void ImportParameters(RSAParameters parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RsaKeyMaterial key;
        try
        {
            key = RsaKeyMaterial.From(parameters);
        }
        catch (ArgumentException e)
        {
            throw new CryptographicException(e.Message, e);
        }
        var copy = new RSAParameters
        {
            Modulus = Trim(parameters.Modulus!),
            Exponent = Trim(parameters.Exponent!),
            D = Fixed(parameters.D, key.ModulusBytes),
            P = Fixed(parameters.P, (key.ModulusBytes + 1) / 2),
            Q = Fixed(parameters.Q, (key.ModulusBytes + 1) / 2),
            DP = Fixed(parameters.DP, (key.ModulusBytes + 1) / 2),
            DQ = Fixed(parameters.DQ, (key.ModulusBytes + 1) / 2),
            InverseQ = Fixed(parameters.InverseQ, (key.ModulusBytes + 1) / 2),
        };
        lock (_keyLock)
        {
            ForgetKey();
            _parameters = copy;
            _key = key;
            KeySizeValue = key.ModulusBits;
        }
    }

    /// <summary>Exports the key; <paramref name="includePrivateParameters"/> needs a private key.</summary>
    /// <exception cref="CryptographicException">The private parameters were asked for a public key.</exception>
    public override RSAParameters ExportParameters(bool includePrivateParameters)
    {
        var key = GetKey();
        RSAParameters p;
        lock (_keyLock)
            p = _parameters;
        if (!includePrivateParameters)
            return new RSAParameters { Modulus = p.Modulus.AsSpan().ToArray(), Exponent = p.Exponent.AsSpan().ToArray() };
        if (!key.IsPrivate || p.D is null)
            throw new CryptographicException("The key has no private parameters to export.");
        return new RSAParameters
        {
            Modulus = p.Modulus.AsSpan().ToArray(),
            Exponent = p.Exponent.AsSpan().ToArray(),
            D = p.D.AsSpan().ToArray(),
            P = p.P?.AsSpan().ToArray(),
            Q = p.Q?.AsSpan().ToArray(),
            DP = p.DP?.AsSpan().ToArray(),
            DQ = p.DQ?.AsSpan().ToArray(),
            InverseQ = p.InverseQ?.AsSpan().ToArray(),
        };
    }

    /// <inheritdoc />
    public override byte[] Encrypt(byte[] data, RSAEncryptionPadding padding)
    {
        ArgumentNullException.ThrowIfNull(data);
        var output = new byte[GetKey().ModulusBytes];
        _ = TryEncrypt(data, output, padding, out _);
        return output;
    }

    /// <inheritdoc />
    public override bool TryEncrypt(ReadOnlySpan<byte> data, Span<byte> destination, RSAEncryptionPadding padding, out int bytesWritten)
    {
        ArgumentNullException.ThrowIfNull(padding);
        var key = GetKey();
        CheckPadding(padding);
        int k = key.ModulusBytes;
        if (destination.Length < k)
        {
            bytesWritten = 0;
            return false;
        }
        var block = new byte[key.Width];
        var result = new byte[key.Width];
        RsaPadding.EncodeEncryption(data, block.AsSpan(key.Width - k), padding);
        Runner.Public(key, block, result, check: true);
        result.AsSpan(key.Width - k).CopyTo(destination);
        bytesWritten = k;
        return true;
    }

    /// <inheritdoc />
    public override byte[] Decrypt(byte[] data, RSAEncryptionPadding padding)
    {
        ArgumentNullException.ThrowIfNull(data);
        var key = GetKey();
        var buffer = new byte[key.ModulusBytes];
        try
        {
            if (!TryDecrypt(data, buffer, padding, out int written))
                throw new CryptographicException("The decryption buffer is too small.");
            return buffer[..written];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <inheritdoc />
    /// <exception cref="CryptographicException">The ciphertext has the wrong length, is not below the modulus, or its padding is wrong.</exception>
    public override bool TryDecrypt(ReadOnlySpan<byte> data, Span<byte> destination, RSAEncryptionPadding padding, out int bytesWritten)
    {
        ArgumentNullException.ThrowIfNull(padding);
        var key = GetPrivateKey();
        CheckPadding(padding);
        var block = CiphertextBlock(key, data);
        var result = new byte[key.Width];
        try
        {
            Runner.Private(key, block, result, blind: true);
            return Unpad(key, result, destination, padding, out bytesWritten);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(result);
        }
    }

    /// <inheritdoc />
    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        ArgumentNullException.ThrowIfNull(hash);
        var output = new byte[GetKey().ModulusBytes];
        _ = TrySignHash(hash, output, hashAlgorithm, padding, out _);
        return output;
    }

    /// <inheritdoc />
    /// <exception cref="CryptographicException">The hash has the wrong length for its algorithm, or the key is too small for the padding.</exception>
    public override bool TrySignHash(ReadOnlySpan<byte> hash, Span<byte> destination, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding, out int bytesWritten)
    {
        var key = GetPrivateKey();
        if (destination.Length < key.ModulusBytes)
        {
            bytesWritten = 0;
            return false;
        }
        var block = EncodeSignature(key, hash, hashAlgorithm, padding);
        var result = new byte[key.Width];
        Runner.Private(key, block, result, blind: true);
        result.AsSpan(key.Width - key.ModulusBytes).CopyTo(destination);
        bytesWritten = key.ModulusBytes;
        return true;
    }

    /// <inheritdoc />
    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(signature);
        return VerifyHash(hash.AsSpan(), signature.AsSpan(), hashAlgorithm, padding);
    }

    /// <inheritdoc />
    public override bool VerifyHash(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        var key = GetKey();
        if (!SignatureBlock(key, signature, hashAlgorithm, padding, out var block))
            return false;
        var result = new byte[key.Width];
        Runner.Public(key, block, result, check: false);
        return CheckSignature(key, result, hash, hashAlgorithm, padding);
    }

    /// <summary>Signs a hash, waiting for the device asynchronously.</summary>
    /// <exception cref="CryptographicException">The hash has the wrong length for its algorithm, or the key is too small for the padding.</exception>
    public async ValueTask<byte[]> SignHashAsync(ReadOnlyMemory<byte> hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding, CancellationToken cancellationToken = default)
    {
        var key = GetPrivateKey();
        var block = EncodeSignature(key, hash.Span, hashAlgorithm, padding);
        var result = new byte[key.Width];
        await Runner.PrivateAsync(key, block, result, blind: true, cancellationToken).ConfigureAwait(false);
        return result[(key.Width - key.ModulusBytes)..];
    }

    /// <summary>Verifies a signature over a hash, waiting for the device asynchronously.</summary>
    public async ValueTask<bool> VerifyHashAsync(ReadOnlyMemory<byte> hash, ReadOnlyMemory<byte> signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding, CancellationToken cancellationToken = default)
    {
        var key = GetKey();
        if (!SignatureBlock(key, signature.Span, hashAlgorithm, padding, out var block))
            return false;
        var result = new byte[key.Width];
        await Runner.PublicAsync(key, block, result, check: false, cancellationToken).ConfigureAwait(false);
        return CheckSignature(key, result, hash.Span, hashAlgorithm, padding);
    }

    /// <summary>Encrypts, waiting for the device asynchronously.</summary>
    /// <exception cref="CryptographicException">The data is too long for the key and padding.</exception>
    public async ValueTask<byte[]> EncryptAsync(ReadOnlyMemory<byte> data, RSAEncryptionPadding padding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(padding);
        var key = GetKey();
        CheckPadding(padding);
        int k = key.ModulusBytes;
        var block = new byte[key.Width];
        var result = new byte[key.Width];
        RsaPadding.EncodeEncryption(data.Span, block.AsSpan(key.Width - k), padding);
        await Runner.PublicAsync(key, block, result, check: true, cancellationToken).ConfigureAwait(false);
        return result[(key.Width - k)..];
    }

    /// <summary>Decrypts, waiting for the device asynchronously.</summary>
    /// <exception cref="CryptographicException">The ciphertext has the wrong length, is not below the modulus, or its padding is wrong.</exception>
    public async ValueTask<byte[]> DecryptAsync(ReadOnlyMemory<byte> data, RSAEncryptionPadding padding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(padding);
        var key = GetPrivateKey();
        CheckPadding(padding);
        var block = CiphertextBlock(key, data.Span);
        var result = new byte[key.Width];
        try
        {
            await Runner.PrivateAsync(key, block, result, blind: true, cancellationToken).ConfigureAwait(false);
            var output = new byte[key.ModulusBytes];
            _ = Unpad(key, result, output, padding, out int written);
            return output[..written];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(result);
        }
    }

    /// <summary>An <see cref="ICryptoTransform"/> that encrypts with this key; see <see cref="WarpDriveRsaTransform"/>.</summary>
    public WarpDriveRsaTransform CreateEncryptor(RSAEncryptionPadding padding) => new(this, encrypt: true, padding);

    /// <summary>An <see cref="ICryptoTransform"/> that decrypts with this key; see <see cref="WarpDriveRsaTransform"/>.</summary>
    public WarpDriveRsaTransform CreateDecryptor(RSAEncryptionPadding padding) => new(this, encrypt: false, padding);

    /// <summary>Zeroes the private key.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_keyLock)
            {
                ForgetKey();
                _disposed = true;
            }
        }
        base.Dispose(disposing);
    }
}
