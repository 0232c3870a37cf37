using WarpDrive.Drivers.Qm;

namespace WarpDrive.Devices.Soft;

/// <summary>The <c>nop</c> algorithm: completes at once (ZIP-format SQE: consumed = input length, status OK). Measures the queue itself.</summary>
internal sealed class NopExecutor : ISoftExecutor
{
    public static readonly NopExecutor Instance = new();

    public bool Lengthy => false;

    public void Execute(Span<byte> sqe, in SoftAddressSpace memory, ISoftStreams streams)
    {
        var zip = new ZipSqe(sqe);
        zip.Consumed = zip.InputLength;
        zip.Produced = 0;
        zip.Status = ZipStatus.Ok;
    }

    public void Fail(Span<byte> sqe) => new ZipSqe(sqe).Status = ZipStatus.CrcError;

    public void Corrupt(Span<byte> sqe, in SoftAddressSpace memory) => new ZipSqe(sqe).Consumed ^= 1;
}
