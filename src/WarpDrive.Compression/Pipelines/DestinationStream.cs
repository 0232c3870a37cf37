using System.Buffers;
using System.IO.Pipelines;

namespace WarpDrive.Compression.Pipelines;

/// <summary>
/// Where a compressing pipe writer's stream writes: a <see cref="PipeWriter"/> (each write flushed, so the pipe's
/// backpressure paces the compressor) or a <see cref="Stream"/>. Once aborted it swallows everything, so a
/// failed writer cannot finish the stream into a whole-looking but truncated result.
/// </summary>
internal sealed class DestinationStream : WriteOnlyStream
{
    private readonly PipeWriter? _writer;
    private readonly Stream? _stream;
    private readonly bool _leaveOpen;
    private bool _aborted;

    public DestinationStream(PipeWriter writer, bool leaveOpen)
    {
        _writer = writer;
        _leaveOpen = leaveOpen;
    }

    public DestinationStream(Stream stream, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>The destination pipe's reader has completed: further output is not being read.</summary>
    public bool ReaderCompleted { get; private set; }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_aborted || buffer.IsEmpty)
            return;
        if (_writer is not null)
        {
            _writer.Write(buffer);
            Observe(_writer.FlushAsync().AsTask().GetAwaiter().GetResult());
        }
        else
        {
            _stream!.Write(buffer);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_aborted || buffer.IsEmpty)
            return ValueTask.CompletedTask;
        return _writer is not null ? WriteToPipeAsync(_writer, buffer, cancellationToken) : _stream!.WriteAsync(buffer, cancellationToken);
    }

    private async ValueTask WriteToPipeAsync(PipeWriter writer, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken) =>
        Observe(await writer.WriteAsync(buffer, cancellationToken).ConfigureAwait(false));

    private void Observe(FlushResult result)
    {
        // As PipeWriter.AsStream does: a cancelled flush (CancelPendingFlush on the destination) ends the write.
        if (result.IsCanceled)
            throw new OperationCanceledException("The flush of the destination pipe was cancelled.");
        ReaderCompleted |= result.IsCompleted;
    }

    // A pipe destination is flushed by every write; a stream is flushed when the compressor asks.
    public override void Flush()
    {
        if (!_aborted)
            _stream?.Flush();
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _aborted || _stream is null ? Task.CompletedTask : _stream.FlushAsync(cancellationToken);

    /// <summary>Stops passing anything on.</summary>
    public void Abort() => _aborted = true;

    /// <summary>The stream is finished: flush the destination, then complete or dispose it unless left open.</summary>
    public async ValueTask FinishAsync()
    {
        if (_stream is not null)
        {
            await _stream.FlushAsync().ConfigureAwait(false);
            if (!_leaveOpen)
                await _stream.DisposeAsync().ConfigureAwait(false);
        }
        else if (!_leaveOpen)
        {
            await _writer!.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The writer failed: complete the destination with <paramref name="exception"/> (or dispose it) unless left open.</summary>
    public async ValueTask FailAsync(Exception exception)
    {
        _aborted = true;
        if (_leaveOpen)
            return;
        if (_writer is not null)
            await _writer.CompleteAsync(exception).ConfigureAwait(false);
        else
            await _stream!.DisposeAsync().ConfigureAwait(false);
    }
}
