using WarpDrive.Queues;

namespace WarpDrive.Drivers.Qm;

/// <summary>
/// What the scheduler needs to know of an SQE whatever its format: its size, where the request tag goes, whether
/// the device reported success, and whether the request belongs to a stream the device holds. Chosen once per
/// request from its algorithm, so no layer above the driver decides a format from a byte length.
/// </summary>
internal abstract class SqeFormat
{
    /// <summary>The 128-byte ZIP format (deflate, zlib, gzip, and the soft engine's nop and echo).</summary>
    public static readonly SqeFormat Zip = new ZipFormat();

    /// <summary>The 64-byte HPRE format (rsa, dh).</summary>
    public static readonly SqeFormat Hpre = new HpreFormat();

    /// <summary>The format of an algorithm's requests.</summary>
    public static SqeFormat For(AcceleratorAlgorithm algorithm) => algorithm.IsHpre ? Hpre : Zip;

    /// <summary>Bytes per SQE.</summary>
    public abstract int Size { get; }

    /// <summary>The request tag the device echoes back.</summary>
    public abstract uint ReadTag(ReadOnlySpan<byte> sqe);

    /// <summary>Stores the request tag.</summary>
    public abstract void WriteTag(Span<byte> sqe, uint tag);

    /// <summary>True when a completed SQE reports success.</summary>
    public abstract bool Succeeded(ReadOnlySpan<byte> sqe);

    /// <summary>True when the request continues a stream whose state lives on the device (it cannot run elsewhere).</summary>
    public abstract bool IsStreamMode(ReadOnlySpan<byte> sqe);

    private sealed class ZipFormat : SqeFormat
    {
        public override int Size => ZipSqe.Size;
        public override uint ReadTag(ReadOnlySpan<byte> sqe) => new ZipSqeView(sqe).Tag;
        public override void WriteTag(Span<byte> sqe, uint tag) => new ZipSqe(sqe).Tag = tag;
        public override bool Succeeded(ReadOnlySpan<byte> sqe) => new ZipSqeView(sqe).Succeeded;
        public override bool IsStreamMode(ReadOnlySpan<byte> sqe) => new ZipSqeView(sqe).StreamMode;
    }

    private sealed class HpreFormat : SqeFormat
    {
        public override int Size => HpreSqe.Size;
        public override uint ReadTag(ReadOnlySpan<byte> sqe) => (uint)new HpreSqeView(sqe).Tag;
        public override void WriteTag(Span<byte> sqe, uint tag) => new HpreSqe(sqe).Tag = tag;
        public override bool Succeeded(ReadOnlySpan<byte> sqe) => new HpreSqeView(sqe).Succeeded;
        public override bool IsStreamMode(ReadOnlySpan<byte> sqe) => false;
    }
}
