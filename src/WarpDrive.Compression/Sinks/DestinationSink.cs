namespace WarpDrive.Compression.Sinks;

/// <summary>
/// A sink over a destination its owner handed over (a stream, a pipe): when the compressed stream ends, whoever
/// drives the compressor hands the destination back, completed or disposed unless the owner asked to leave it open.
/// </summary>
internal abstract class DestinationSink(bool leaveOpen) : CompressedSink
{
    /// <summary>Leave the destination uncompleted (undisposed) when the stream ends.</summary>
    protected bool LeaveOpen => leaveOpen;

    /// <summary>The stream is finished: flush what is written, then complete (or dispose) the destination unless left open.</summary>
    public abstract ValueTask FinishAsync();

    /// <summary>The writer failed: complete the destination with <paramref name="exception"/> (or dispose it) unless left open.</summary>
    public abstract ValueTask FailAsync(Exception exception);
}
