using System.Numerics;
using WarpDrive.Drivers.Qm;

namespace WarpDrive.Devices.Soft;

/// <summary>
/// HPRE RSA: modular exponentiation with (e|d, n), or the CRT private operation with (dq, dp, q, p, qinv), all
/// big-endian and fixed-width (spec §6.3). Errors set <c>etype</c>; success sets <c>done</c> = 3.
/// </summary>
internal sealed class HpreExecutor : ISoftExecutor
{
    private const int EtypeBadRequest = 1;
    private const int Etype1SvaError = 1 << 5;

    public static readonly HpreExecutor Instance = new();

    public void Execute(Span<byte> sqe, in SoftAddressSpace memory, SoftStreamTable streams)
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
        int keyLength = crt ? ksz / 2 * 5 : ksz * 2;
        if (!memory.TryResolve(hpre.KeyAddress, keyLength, out var key)
            || !memory.TryResolve(hpre.InputAddress, ksz, out var input)
            || !memory.TryResolve(hpre.OutputAddress, ksz, out var output))
        {
            hpre.ErrorType1 = Etype1SvaError;
            Finish(ref hpre, EtypeBadRequest);
            return;
        }
        var message = Unsigned(input);
        BigInteger result;
        if (crt)
        {
            int half = ksz / 2;
            var dq = Unsigned(key[..half]);
            var dp = Unsigned(key.Slice(half, half));
            var q = Unsigned(key.Slice(2 * half, half));
            var p = Unsigned(key.Slice(3 * half, half));
            var qinv = Unsigned(key.Slice(4 * half, half));
            if (p.IsZero || q.IsZero || message >= p * q)
            {
                Finish(ref hpre, EtypeBadRequest);
                return;
            }
            var m1 = BigInteger.ModPow(message % p, dp, p);
            var m2 = BigInteger.ModPow(message % q, dq, q);
            var h = qinv * (m1 - m2) % p;
            if (h.Sign < 0)
                h += p;
            result = m2 + h * q;
        }
        else
        {
            var exponent = Unsigned(key[..ksz]);
            var modulus = Unsigned(key.Slice(ksz, ksz));
            if (modulus.IsZero || message >= modulus)
            {
                Finish(ref hpre, EtypeBadRequest);
                return;
            }
            result = BigInteger.ModPow(message, exponent, modulus);
        }
        output.Clear();
        int length = result.GetByteCount(isUnsigned: true);
        result.TryWriteBytes(output[(ksz - length)..], out _, isUnsigned: true, isBigEndian: true);
        Finish(ref hpre, 0);
    }

    private static BigInteger Unsigned(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

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
}
