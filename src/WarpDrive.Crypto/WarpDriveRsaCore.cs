using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using WarpDrive.Crypto.DataPath;
using WarpDrive.Scheduling;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace WarpDrive.Crypto;

/// <summary>
/// BouncyCastle's raw RSA (<see cref="IRsa"/>, what <c>RsaCoreEngine</c> is) on WarpDrive: each
/// <see cref="ProcessBlock"/> is one HPRE request through an <see cref="AcceleratorPool"/> — the public operation
/// with (e, n), the private one with the CRT key (dq, dp, q, p, qinv) when the key has it and (d, n) otherwise.
/// Private results are checked (<c>s^e mod n = m</c>) when the public exponent is known; a wrong answer is re-run
/// once in software, and a second wrong answer throws <see cref="CryptoException"/>.
/// </summary>
/// <remarks>
/// Not blinded: use <see cref="WarpDriveRsaEngine"/> (or BouncyCastle's <c>RsaBlindedEngine(IRsa)</c> over this
/// core). Moduli of 512 to 16384 bits; 1024, 2048, 3072 and 4096 go to any device, other sizes to the in-process
/// soft engine (or in-thread software when a hardware device is present, which would reject them). Like
/// BouncyCastle's engines, <see cref="Init"/> is not thread-safe; once initialised, operations may run concurrently.
/// </remarks>
public sealed class WarpDriveRsaCore : IRsa
{
    private RsaKeyMaterial? _key;
    private bool _forEncryption;

    /// <summary>A core on the process-wide pool (<see cref="WarpDriveAccelerator.Shared"/>).</summary>
    public WarpDriveRsaCore()
        : this(null)
    {
    }

    /// <summary>A core on <paramref name="pool"/>, or the process-wide pool when null.</summary>
    public WarpDriveRsaCore(AcceleratorPool? pool)
    {
        Runner = new RsaRunner(pool ?? WarpDriveAccelerator.Shared, new RsaOperationStatistics());
    }

    /// <summary>The pool the requests run on.</summary>
    public AcceleratorPool Pool => Runner.Pool;

    /// <summary>Counts of the operations this core ran, and where.</summary>
    public RsaOperationStatistics Statistics => Runner.Statistics;

    internal RsaRunner Runner { get; }

    internal RsaKeyMaterial Key => _key ?? throw new InvalidOperationException("The RSA core is not initialised: call Init first.");

    internal bool ForEncryption => _forEncryption;

    /// <summary>Sets the key: <see cref="RsaKeyParameters"/> or <see cref="RsaPrivateCrtKeyParameters"/>, optionally inside <see cref="ParametersWithRandom"/>.</summary>
    /// <exception cref="InvalidKeyException">The parameters are not an RSA key.</exception>
    /// <exception cref="ArgumentException">The key's size or parameters are not usable (e.g. primes that do not multiply to the modulus).</exception>
    public void Init(bool forEncryption, ICipherParameters parameters)
    {
        if (parameters is ParametersWithRandom withRandom)
            parameters = withRandom.Parameters;
        if (parameters is not RsaKeyParameters key)
            throw new InvalidKeyException("Not an RSA key.");
        try
        {
            _key = RsaKeyMaterial.From(key);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message, nameof(parameters), e);
        }
        _forEncryption = forEncryption;
    }

    /// <summary>Largest input: one byte less than the modulus when encrypting, the modulus length otherwise.</summary>
    public int GetInputBlockSize() => _forEncryption ? (Key.ModulusBits - 1) / 8 : (Key.ModulusBits + 7) / 8;

    /// <summary>Output length: the modulus length when encrypting, one byte less otherwise.</summary>
    public int GetOutputBlockSize() => _forEncryption ? (Key.ModulusBits + 7) / 8 : (Key.ModulusBits - 1) / 8;

    /// <summary>Reads the input block as an unsigned number.</summary>
    /// <exception cref="DataLengthException">The input is longer than the modulus, or not smaller than it.</exception>
    public BigInteger ConvertInput(byte[] buf, int off, int len)
    {
        ArgumentNullException.ThrowIfNull(buf);
        var key = Key;
        if (len > key.ModulusBytes)
            throw new DataLengthException("input too large for RSA cipher.");
        var input = new BigInteger(1, buf, off, len);
        if (input.CompareTo(new BigInteger(1, key.Modulus)) >= 0)
            throw new DataLengthException("input too large for RSA cipher.");
        return input;
    }

    /// <summary>One raw RSA operation: one HPRE request.</summary>
    /// <exception cref="DataLengthException">The input is negative or not smaller than the modulus.</exception>
    /// <exception cref="CryptoException">The key's parameters are inconsistent, or the result could not be made to verify.</exception>
    public BigInteger ProcessBlock(BigInteger input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var key = Key;
        if (input.SignValue < 0 || input.CompareTo(new BigInteger(1, key.Modulus)) >= 0)
            throw new DataLengthException("input too large for RSA cipher.");
        var buffer = RsaMath.Pad(input.ToByteArrayUnsigned(), key.Width);
        var output = new byte[key.Width];
        try
        {
            if (key.IsPrivate)
                Runner.Private(key, buffer, output, blind: false);
            else
                Runner.Public(key, buffer, output, check: _forEncryption);
            return new BigInteger(1, output);
        }
        catch (CryptographicException e)
        {
            throw new CryptoException(e.Message, e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            CryptographicOperations.ZeroMemory(output);
        }
    }

    /// <summary>The result's bytes: left-padded to the modulus length when encrypting, minimal otherwise (as <c>RsaCoreEngine</c>).</summary>
    public byte[] ConvertOutput(BigInteger result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var output = result.ToByteArrayUnsigned();
        int size = GetOutputBlockSize();
        if (_forEncryption && output.Length < size)
        {
            var padded = new byte[size];
            output.CopyTo(padded, size - output.Length);
            return padded;
        }
        return output;
    }
}
