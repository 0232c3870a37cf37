using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using WarpDrive.Crypto.DataPath;
using WarpDrive.Scheduling;

namespace WarpDrive.Crypto;

/// <summary>
/// BouncyCastle's RSA block cipher on WarpDrive — a drop-in for <c>RsaBlindedEngine</c> under
/// <c>Pkcs1Encoding</c>, <c>OaepEncoding</c>, <c>PssSigner</c>, <c>RsaDigestSigner</c> and the TLS signers.
/// Each block is one HPRE request through an <see cref="AcceleratorPool"/>; private operations are blinded (a
/// fresh random factor every 32 uses, squared in between, as OpenSSL does) and their results checked
/// (<c>s^e mod n = m</c>), so a faulty device answer is re-run in software and never returned.
/// </summary>
/// <remarks>
/// Public operations with <c>forEncryption = true</c> (encryption: the result leaves the library) are recomputed in
/// software and compared; public operations for verification are not (a wrong answer only fails the verification).
/// <see cref="ProcessBlockAsync"/> waits for the device without blocking a thread. Init is not thread-safe; after
/// it, blocks may be processed concurrently.
/// </remarks>
/// <example>
/// <code>
/// var signer = new PssSigner(new WarpDriveRsaEngine(), new Sha256Digest());
/// signer.Init(true, privateKey);
/// signer.BlockUpdate(message, 0, message.Length);
/// byte[] signature = signer.GenerateSignature();
/// </code>
/// </example>
public sealed class WarpDriveRsaEngine : IAsymmetricBlockCipher
{
    /// <summary>An engine on the process-wide pool.</summary>
    public WarpDriveRsaEngine()
        : this(new WarpDriveRsaCore())
    {
    }

    /// <summary>An engine on <paramref name="pool"/>, or the process-wide pool when null.</summary>
    public WarpDriveRsaEngine(AcceleratorPool? pool)
        : this(new WarpDriveRsaCore(pool))
    {
    }

    /// <summary>An engine over <paramref name="core"/> (sharing its pool and statistics).</summary>
    public WarpDriveRsaEngine(WarpDriveRsaCore core)
    {
        ArgumentNullException.ThrowIfNull(core);
        Core = core;
    }

    /// <summary>The raw RSA core the engine drives.</summary>
    public WarpDriveRsaCore Core { get; }

    /// <summary>Counts of the operations run, and where.</summary>
    public RsaOperationStatistics Statistics => Core.Statistics;

    /// <summary><c>RSA</c>.</summary>
    public string AlgorithmName => "RSA";

    /// <summary>Sets the key; see <see cref="WarpDriveRsaCore.Init"/>.</summary>
    public void Init(bool forEncryption, ICipherParameters parameters) => Core.Init(forEncryption, parameters);

    /// <inheritdoc cref="WarpDriveRsaCore.GetInputBlockSize"/>
    public int GetInputBlockSize() => Core.GetInputBlockSize();

    /// <inheritdoc cref="WarpDriveRsaCore.GetOutputBlockSize"/>
    public int GetOutputBlockSize() => Core.GetOutputBlockSize();

    /// <summary>One RSA operation on <paramref name="inLen"/> bytes of <paramref name="inBuf"/>.</summary>
    /// <exception cref="DataLengthException">The input is longer than the modulus, or not smaller than it.</exception>
    /// <exception cref="CryptoException">The key's parameters are inconsistent, or the result could not be made to verify.</exception>
    public byte[] ProcessBlock(byte[] inBuf, int inOff, int inLen)
    {
        ArgumentNullException.ThrowIfNull(inBuf);
        if (inOff < 0 || inLen < 0 || inOff > inBuf.Length - inLen)
            throw new DataLengthException("input buffer too short");
        var key = Core.Key;
        var input = ConvertInput(key, inBuf.AsSpan(inOff, inLen));
        var output = new byte[key.Width];
        try
        {
            if (key.IsPrivate)
                Core.Runner.Private(key, input, output, blind: true);
            else
                Core.Runner.Public(key, input, output, check: Core.ForEncryption);
            return ConvertOutput(key, output);
        }
        catch (CryptographicException e)
        {
            throw new CryptoException(e.Message, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
            CryptographicOperations.ZeroMemory(output);
        }
    }

    /// <summary>One RSA operation, waiting for the device asynchronously. Same results and exceptions as <see cref="ProcessBlock"/>.</summary>
    /// <remarks>The token is honoured until the request is sent; once a device has it, it runs to completion.</remarks>
    public async ValueTask<byte[]> ProcessBlockAsync(ReadOnlyMemory<byte> input, CancellationToken cancellationToken = default)
    {
        var key = Core.Key;
        var block = ConvertInput(key, input.Span);
        var output = new byte[key.Width];
        try
        {
            if (key.IsPrivate)
                await Core.Runner.PrivateAsync(key, block, output, blind: true, cancellationToken).ConfigureAwait(false);
            else
                await Core.Runner.PublicAsync(key, block, output, Core.ForEncryption, cancellationToken).ConfigureAwait(false);
            return ConvertOutput(key, output);
        }
        catch (CryptographicException e)
        {
            throw new CryptoException(e.Message, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
            CryptographicOperations.ZeroMemory(output);
        }
    }

    private static byte[] ConvertInput(RsaKeyMaterial key, ReadOnlySpan<byte> input)
    {
        int first = input.IndexOfAnyExcept((byte)0);
        var significant = first < 0 ? [] : input[first..];
        if (input.Length > key.ModulusBytes || significant.Length > key.Width)
            throw new DataLengthException("input too large for RSA cipher.");
        var block = RsaMath.Pad(significant, key.Width);
        if (RsaMath.Compare(block, key.Modulus) >= 0)
            throw new DataLengthException("input too large for RSA cipher.");
        return block;
    }

    private byte[] ConvertOutput(RsaKeyMaterial key, byte[] output)
    {
        if (Core.ForEncryption)
            return output[(key.Width - key.ModulusBytes)..];
        int first = output.AsSpan().IndexOfAnyExcept((byte)0);
        return first < 0 ? [] : output[first..];
    }
}
