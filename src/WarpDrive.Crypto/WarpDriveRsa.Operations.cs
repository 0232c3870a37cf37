using System.Security.Cryptography;
using WarpDrive.Crypto.DataPath;
using WarpDrive.Crypto.Padding;

namespace WarpDrive.Crypto;

public sealed partial class WarpDriveRsa
{
    /// <summary>The key, generating one of <see cref="AsymmetricAlgorithm.KeySize"/> bits when none was imported.</summary>
    private RsaKeyMaterial GetKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var key = Volatile.Read(ref _key);
        if (key is not null)
            return key;
        lock (_keyLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_key is null)
            {
                // Key generation is not a device operation: the platform's generator makes the primes.
                using var generator = Create(KeySizeValue);
                var parameters = generator.ExportParameters(includePrivateParameters: true);
                _key = RsaKeyMaterial.From(parameters);
                _parameters = parameters;
            }
            return _key;
        }
    }

    private RsaKeyMaterial GetPrivateKey()
    {
        var key = GetKey();
        if (!key.IsPrivate)
            throw new CryptographicException("The operation needs a private key; this one is public only.");
        return key;
    }

    private void ForgetKey()
    {
        ZeroIfSet(_parameters.D);
        ZeroIfSet(_parameters.P);
        ZeroIfSet(_parameters.Q);
        ZeroIfSet(_parameters.DP);
        ZeroIfSet(_parameters.DQ);
        ZeroIfSet(_parameters.InverseQ);
        if (_key?.PrivateKey is { } buffer)
            CryptographicOperations.ZeroMemory(buffer);
        _parameters = default;
        _key = null;
    }

    private static void ZeroIfSet(byte[]? value)
    {
        if (value is not null)
            CryptographicOperations.ZeroMemory(value);
    }

    private static byte[] Trim(byte[] value)
    {
        int first = value.AsSpan().IndexOfAnyExcept((byte)0);
        return first <= 0 ? value.AsSpan().ToArray() : value[first..];
    }

    /// <summary>Left-pads to <paramref name="width"/> (what .NET exports) when the value fits, else keeps it trimmed.</summary>
    private static byte[]? Fixed(byte[]? value, int width)
    {
        if (value is null)
            return null;
        var trimmed = Trim(value);
        return trimmed.Length <= width ? RsaMath.Pad(trimmed, width) : trimmed;
    }

    private static void CheckPadding(RSAEncryptionPadding padding)
    {
        if (padding.Mode is not (RSAEncryptionPaddingMode.Pkcs1 or RSAEncryptionPaddingMode.Oaep))
            throw new CryptographicException($"Unknown padding mode {padding.Mode}.");
        if (padding.Mode == RSAEncryptionPaddingMode.Oaep)
            _ = RsaPadding.HashLength(padding.OaepHashAlgorithm);
    }

    /// <summary>A ciphertext as a key-width block; it must be exactly the modulus length and below the modulus.</summary>
    private static byte[] CiphertextBlock(RsaKeyMaterial key, ReadOnlySpan<byte> data)
    {
        if (data.Length != key.ModulusBytes)
            throw new CryptographicException($"The ciphertext must be {key.ModulusBytes} bytes for this key (was {data.Length}).");
        var block = new byte[key.Width];
        data.CopyTo(block.AsSpan(key.Width - key.ModulusBytes));
        if (RsaMath.Compare(block, key.Modulus) >= 0)
            throw new CryptographicException("The ciphertext is not smaller than the modulus.");
        return block;
    }

    private static bool Unpad(RsaKeyMaterial key, byte[] result, Span<byte> destination, RSAEncryptionPadding padding, out int bytesWritten)
    {
        var em = result.AsSpan(key.Width - key.ModulusBytes);
        if (!RsaPadding.TryDecodeEncryption(em, padding, out int offset, out int length))
            throw new CryptographicException("The ciphertext's padding is not valid.");
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }
        em.Slice(offset, length).CopyTo(destination);
        bytesWritten = length;
        return true;
    }

    private static byte[] EncodeSignature(RsaKeyMaterial key, ReadOnlySpan<byte> hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        ArgumentNullException.ThrowIfNull(padding);
        ArgumentException.ThrowIfNullOrEmpty(hashAlgorithm.Name, nameof(hashAlgorithm));
        var block = new byte[key.Width];
        var em = block.AsSpan(key.Width - key.ModulusBytes);
        switch (padding.Mode)
        {
            case RSASignaturePaddingMode.Pkcs1:
                RsaPadding.EncodePkcs1Signature(hash, hashAlgorithm, em);
                break;
            case RSASignaturePaddingMode.Pss:
                RsaPadding.EncodePss(hash, hashAlgorithm, key.ModulusBits, em);
                break;
            default:
                throw new CryptographicException($"Unknown padding mode {padding.Mode}.");
        }
        return block;
    }

    /// <summary>A signature as a key-width block; false (not a valid signature) when its length or value is out of range.</summary>
    private static bool SignatureBlock(RsaKeyMaterial key, ReadOnlySpan<byte> signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding, out byte[] block)
    {
        ArgumentNullException.ThrowIfNull(padding);
        ArgumentException.ThrowIfNullOrEmpty(hashAlgorithm.Name, nameof(hashAlgorithm));
        if (padding.Mode is not (RSASignaturePaddingMode.Pkcs1 or RSASignaturePaddingMode.Pss))
            throw new CryptographicException($"Unknown padding mode {padding.Mode}.");
        _ = RsaPadding.HashLength(hashAlgorithm);
        block = new byte[key.Width];
        if (signature.Length != key.ModulusBytes)
            return false;
        signature.CopyTo(block.AsSpan(key.Width - key.ModulusBytes));
        return RsaMath.Compare(block, key.Modulus) < 0;
    }

    private static bool CheckSignature(RsaKeyMaterial key, byte[] result, ReadOnlySpan<byte> hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        var em = result.AsSpan(key.Width - key.ModulusBytes);
        if (result.AsSpan(0, key.Width - key.ModulusBytes).IndexOfAnyExcept((byte)0) >= 0)
            return false;
        if (padding.Mode == RSASignaturePaddingMode.Pss)
            return RsaPadding.VerifyPss(hash, hashAlgorithm, key.ModulusBits, em);
        if (hash.Length != RsaPadding.HashLength(hashAlgorithm))
            return false;
        Span<byte> expected = stackalloc byte[em.Length];
        try
        {
            RsaPadding.EncodePkcs1Signature(hash, hashAlgorithm, expected);
        }
        catch (CryptographicException)
        {
            return false; // The key is too small for this hash: no signature can verify.
        }
        return expected.SequenceEqual(em);
    }
}
