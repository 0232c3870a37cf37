using System.IO.Pipelines;

namespace WarpDrive.Compression.Sinks;

/// <summary>
/// Compressed output copied straight into a <see cref="PipeWriter"/>'s memory (<see cref="PipeWriter.GetSpan"/>,
/// <see cref="PipeWriter.Advance"/>) and flushed after each write, so the pipe's backpressure paces the compressor.
/// A flush that finds the reader completed refuses from then on: nobody reads what more would be compressed.
/// </summary>
/// <remarks>
/// A <see cref="PipeWriter"/> flushes only asynchronously, and the compressing pipe writer drives its compressor
/// through asynchronous operations alone; the synchronous members throw rather than block on a flush.
/// </remarks>
internal sealed class PipeWriterSink(PipeWriter writer, bool leaveOpen) : DestinationSink(leaveOpen)
{
    // Asked of GetSpan per copy: a pipe hands out segments of about this size anyway, and a chunk's whole body as a
    // hint would make it allocate one segment that large.
    private const int SegmentHint = 64 * 1024;

    /// <summary>The destination's reader has completed: further output is not being read.</summary>
    public bool ReaderCompleted { get; private set; }

    public override bool Write(ReadOnlySpan<byte> data) => throw SynchronousUse();

    public override bool Flush() => throw SynchronousUse();

    public override ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (ReaderCompleted)
            return new(false);
        var rest = data.Span;
        while (!rest.IsEmpty)
        {
            var span = writer.GetSpan(Math.Min(rest.Length, SegmentHint));
            int n = Math.Min(span.Length, rest.Length);
            rest[..n].CopyTo(span);
            writer.Advance(n);
            rest = rest[n..];
        }
        return FlushAsync(cancellationToken);
    }

    public override async ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var result = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        // As PipeWriter.AsStream does: a cancelled flush (CancelPendingFlush on the destination) ends the write.
        if (result.IsCanceled)
            throw new OperationCanceledException("The flush of the destination pipe was cancelled.");
        ReaderCompleted |= result.IsCompleted;
        return !ReaderCompleted;
    }

    public override async ValueTask FinishAsync()
    {
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        if (!LeaveOpen)
            await writer.CompleteAsync().ConfigureAwait(false);
    }

    public override ValueTask FailAsync(Exception exception) => LeaveOpen ? default : writer.CompleteAsync(exception);

    private static NotSupportedException SynchronousUse() =>
        new("A pipe destination is written and flushed asynchronously.");
}
