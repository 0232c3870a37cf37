using WarpDrive.Devices.Soft.Engines.Rsa;
using WarpDrive.Drivers.Qm;

namespace WarpDrive.Devices.Soft;

/// <summary>
/// HPRE RSA: modular exponentiation with (e|d, n), or the CRT private operation with (dq, dp, q, p, qinv), all
/// big-endian and fixed-width (spec §6.3). Errors set <c>etype</c>; success sets <c>done</c> = 3.
/// </summary>
/// <remarks>
/// The arithmetic is <see cref="RsaSoftware"/>: OpenSSL's constant-time exponentiation when libcrypto 3 loads,
/// managed code otherwise. The key fields do not say whether an exponent is secret, so a non-CRT exponent wider
/// than 64 bits is treated as a private exponent (constant-time), a narrower one as a public exponent.
/// Stateless and thread-safe: engine workers and software re-runs call it concurrently.
/// </remarks>
internal sealed class HpreExecutor : ISoftExecutor
{
    private const int EtypeBadRequest = 1;
    private const int Etype1SvaError = 1 << 5;

    public static readonly HpreExecutor Instance = new();

    public bool Lengthy => true;

    public void Execute(Span<byte> sqe, in SoftAddressSpace memory, ISoftStreams streams)
    {
        var hpre = new HpreSqe(sqe);
        hpre.ErrorType = 0;
        hpre.ErrorType1 = 0;
        if (hpre.Algorithm == HpreAlgorithm.Nop)
        {
            hpre.Done = HpreSqe.DoneValue;
            return;
        }
        int ksz = hpre.KeyBytes;
        bool crt = hpre.Algorithm == HpreAlgorithm.RsaCrt;
        if (hpre.Algorithm is not (HpreAlgorithm.RsaNonCrt or HpreAlgorithm.RsaCrt))
        {
            Finish(ref hpre, EtypeBadRequest);
            return;
        }
        int keyLength = HpreKeyLayout.Length(crt ? HpreAlgorithm.RsaCrt : HpreAlgorithm.RsaNonCrt, ksz);
        if (!memory.TryResolve(hpre.KeyAddress, keyLength, out var key)
            || !memory.TryResolve(hpre.InputAddress, ksz, out var input)
            || !memory.TryResolve(hpre.OutputAddress, ksz, out var output))
        {
            hpre.ErrorType1 = Etype1SvaError;
            Finish(ref hpre, EtypeBadRequest);
            return;
        }
        bool ok = crt ? RunCrt(input, HpreKeyLayout.ReadCrt(key, ksz), output) : RunNonCrt(input, HpreKeyLayout.ReadNonCrt(key, ksz), output);
        if (!ok)
        {
            // Nothing half-written leaves the device: a failed request's output reads as zeros.
            output.Clear();
            Finish(ref hpre, EtypeBadRequest);
            return;
        }
        Finish(ref hpre, 0);
    }

    private static void Finish(ref HpreSqe hpre, int etype)
    {
        hpre.ErrorType = etype;
        hpre.Done = HpreSqe.DoneValue;
    }

    public void Fail(Span<byte> sqe)
    {
        var hpre = new HpreSqe(sqe);
        hpre.ErrorType = EtypeBadRequest;
        hpre.Done = HpreSqe.DoneValue;
    }

    public void Corrupt(Span<byte> sqe, in SoftAddressSpace memory)
    {
        var hpre = new HpreSqe(sqe);
        if (memory.TryResolve(hpre.OutputAddress, hpre.KeyBytes, out var output) && !output.IsEmpty)
            output[^1] ^= 1;
    }

    private static bool RunCrt(ReadOnlySpan<byte> input, HpreKeyLayout.CrtFields key, Span<byte> output) =>
        RsaSoftware.TryCrt(input, key.Dq, key.Dp, key.Q, key.P, key.Qinv, output);

    private static bool RunNonCrt(ReadOnlySpan<byte> input, HpreKeyLayout.NonCrtFields key, Span<byte> output) =>
        RsaSoftware.TryModExp(input, key.Exponent, key.Modulus, output);
}
