using System.Security.Cryptography;
using WarpDrive.Crypto.Padding;

namespace WarpDrive.Crypto;

/// <summary>
/// RSA as an <see cref="ICryptoTransform"/> (for <see cref="CryptoStream"/>): encryption cuts the input into
/// chunks of the largest message the key and padding take and encrypts each into one modulus-sized block;
/// decryption takes modulus-sized blocks and returns their messages concatenated. Each block is one raw
/// operation on the wrapped <see cref="RSA"/> — on WarpDrive queues when it is a <see cref="WarpDriveRsa"/>.
/// </summary>
/// <remarks>
/// This is a framing of our own (a concatenation of independent PKCS #1 / OAEP blocks), not a standard format:
/// both ends must use it. For bulk data, encrypt a symmetric key with RSA instead.
/// </remarks>
public sealed class WarpDriveRsaTransform : ICryptoTransform
{
    private readonly RSA _rsa;
    private readonly RSAEncryptionPadding _padding;
    private readonly bool _encrypt;
    private readonly int _modulusBytes;
    private readonly int _maxMessage;

    /// <summary>A transform that encrypts (<paramref name="encrypt"/>) or decrypts with <paramref name="rsa"/> and <paramref name="padding"/>.</summary>
    /// <exception cref="CryptographicException">The key is too small for the padding.</exception>
    public WarpDriveRsaTransform(RSA rsa, bool encrypt, RSAEncryptionPadding padding)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        ArgumentNullException.ThrowIfNull(padding);
        _rsa = rsa;
        _padding = padding;
        _encrypt = encrypt;
        _modulusBytes = (rsa.KeySize + 7) / 8;
        _maxMessage = RsaPadding.MaxPlaintext(_modulusBytes, padding);
        if (_maxMessage < 1)
            throw new CryptographicException("The RSA key is too small for this padding.");
    }

    /// <summary>Bytes consumed per block: the largest message when encrypting, the modulus length when decrypting.</summary>
    public int InputBlockSize => _encrypt ? _maxMessage : _modulusBytes;

    /// <summary>Largest output per block: the modulus length when encrypting, the largest message when decrypting.</summary>
    public int OutputBlockSize => _encrypt ? _modulusBytes : _maxMessage;

    /// <summary>True: whole runs of blocks are transformed at once.</summary>
    public bool CanTransformMultipleBlocks => true;

    /// <summary>True: the transform keeps no state between calls.</summary>
    public bool CanReuseTransform => true;

    /// <summary>Transforms whole blocks; returns the bytes written (decryption writes each block's actual message length).</summary>
    /// <exception cref="CryptographicException">The count is not a whole number of blocks, or a block does not decrypt.</exception>
    public int TransformBlock(byte[] inputBuffer, int inputOffset, int inputCount, byte[] outputBuffer, int outputOffset)
    {
        ArgumentNullException.ThrowIfNull(inputBuffer);
        ArgumentNullException.ThrowIfNull(outputBuffer);
        ArgumentOutOfRangeException.ThrowIfNegative(inputOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(inputCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputCount, inputBuffer.Length - inputOffset);
        if (inputCount % InputBlockSize != 0)
            throw new CryptographicException($"TransformBlock takes whole blocks of {InputBlockSize} bytes (was {inputCount}).");
        return Transform(inputBuffer.AsSpan(inputOffset, inputCount), outputBuffer.AsSpan(outputOffset));
    }

    /// <summary>Transforms the rest: when encrypting, a final short message (if any); when decrypting, whole blocks only.</summary>
    /// <exception cref="CryptographicException">Decrypting a count that is not a whole number of blocks, or a block that does not decrypt.</exception>
    public byte[] TransformFinalBlock(byte[] inputBuffer, int inputOffset, int inputCount)
    {
        ArgumentNullException.ThrowIfNull(inputBuffer);
        ArgumentOutOfRangeException.ThrowIfNegative(inputOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(inputCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputCount, inputBuffer.Length - inputOffset);
        if (!_encrypt && inputCount % _modulusBytes != 0)
            throw new CryptographicException($"RSA ciphertext must be whole blocks of {_modulusBytes} bytes (was {inputCount}).");
        int blocks = (inputCount + InputBlockSize - 1) / InputBlockSize;
        var output = new byte[blocks * OutputBlockSize];
        int written = Transform(inputBuffer.AsSpan(inputOffset, inputCount), output);
        return written == output.Length ? output : output[..written];
    }

    private int Transform(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int written = 0;
        for (int offset = 0; offset < input.Length; offset += InputBlockSize)
        {
            var block = input.Slice(offset, Math.Min(InputBlockSize, input.Length - offset));
            bool done = _encrypt
                ? _rsa.TryEncrypt(block, output[written..], _padding, out int n)
                : _rsa.TryDecrypt(block, output[written..], _padding, out n);
            if (!done)
                throw new ArgumentException("The output buffer is too small.", nameof(output));
            written += n;
        }
        return written;
    }

    /// <summary>Nothing to release: the wrapped <see cref="RSA"/> belongs to the caller.</summary>
    public void Dispose()
    {
    }
}
