using System.IO.Pipelines;
using WarpDrive.Compression.DataPath;
using WarpDrive.Compression.Sinks;

namespace WarpDrive.Compression.Pipelines;

/// <summary>
/// The writer <see cref="WarpDrivePipes.CreateCompressingWriter(PipeWriter, WarpDrivePipeFormat, System.IO.Compression.CompressionLevel, WarpDriveCompressionOptions?, bool)"/>
/// returns: the caller's bytes wait in <see cref="UnflushedBytes"/> until a flush hands them to the chunk
/// compressor, which writes straight into the destination through its sink.
/// </summary>
/// <remarks>
/// Layers: caller → <see cref="UnflushedBytes"/> → <see cref="ChunkCompressor"/> → <see cref="PipeWriterSink"/> (or
/// <see cref="StreamSink"/>) → destination. Completing finishes the compressor directly, so the closing flush is never
/// a sync flush (a wasted empty block and, for gzip, a cut member).
/// </remarks>
internal sealed class CompressingPipeWriter : PipeWriter
{
    private readonly DestinationSink _destination;
    private readonly ChunkCompressor _compressor;
    private readonly UnflushedBytes _unflushed;
    private readonly Lock _cancellationLock = new();
    private CancellationTokenSource? _flushCancellation; // what CancelPendingFlush cancels; a fresh one after each use
    private int _completed;

    /// <param name="destination">Where <paramref name="compressor"/> writes; completed or failed by this writer.</param>
    /// <param name="compressor">Owned by this writer from here: completing it disposes the compressor.</param>
    /// <param name="segmentSize">The least size of a buffered segment.</param>
    public CompressingPipeWriter(DestinationSink destination, ChunkCompressor compressor, int segmentSize)
    {
        _destination = destination;
        _compressor = compressor;
        _unflushed = new UnflushedBytes(segmentSize);
    }

    private bool Completed => Volatile.Read(ref _completed) != 0;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        ThrowIfCompleted();
        return _unflushed.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        ThrowIfCompleted();
        _unflushed.Advance(bytes);
    }

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _unflushed.Length;

    public override void CancelPendingFlush() => FlushCancellation().Cancel();

    /// <summary>Sync flush: the buffered bytes go through the compressor and everything so far reaches the destination.</summary>
    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        WriteAsync(ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <summary>Writes <paramref name="source"/> after the buffered bytes (straight to the compressor), then flushes as <see cref="FlushAsync"/>.</summary>
    public override async ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        var flushCancellation = FlushCancellation();
        var token = flushCancellation.Token;
        // The caller's token cancels like CancelPendingFlush, but surfaces as an exception rather than IsCanceled.
        using var registration = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), flushCancellation);
        try
        {
            bool open = await CompressUnflushedAsync(token).ConfigureAwait(false)
                && await CompressAsync(source, token).ConfigureAwait(false)
                && await _compressor.FlushAsync(token).ConfigureAwait(false);
            return new FlushResult(isCanceled: false, isCompleted: !open);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            lock (_cancellationLock)
                _flushCancellation = null;
            if (cancellationToken.IsCancellationRequested)
                throw;
            return new FlushResult(isCanceled: true, isCompleted: false);
        }
    }

    public override void Complete(Exception? exception = null) =>
        // PipeWriter offers no synchronous flush; this blocks as the framework's own writers' Complete does.
        CompleteAsync(exception).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Without <paramref name="exception"/>: compresses what is buffered, finishes the stream, completes the
    /// destination. With one: discards what is buffered and what the compressor still holds, and completes the
    /// destination with it.
    /// </summary>
    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
            return;
        if (exception is not null)
        {
            await AbortAsync(exception).ConfigureAwait(false);
            return;
        }
        try
        {
            if (await CompressUnflushedAsync(CancellationToken.None).ConfigureAwait(false))
                await _compressor.FinishAsync(CancellationToken.None).ConfigureAwait(false);
            _compressor.Dispose();
            await _destination.FinishAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await AbortAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Hands the buffered bytes to the compressor, oldest first; false once the destination takes no more (they are dropped).</summary>
    private async ValueTask<bool> CompressUnflushedAsync(CancellationToken cancellationToken)
    {
        while (_unflushed.TryPeek(out var bytes))
        {
            int taken = Buffer(bytes);
            _unflushed.Take(taken);
            if (taken < bytes.Length && !await _compressor.MakeRoomAsync(cancellationToken).ConfigureAwait(false))
            {
                _unflushed.Clear();
                return false;
            }
        }
        return !_compressor.OutputRefused;
    }

    /// <summary>Hands <paramref name="source"/> to the compressor; false once the destination takes no more.</summary>
    private async ValueTask<bool> CompressAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
    {
        while (true)
        {
            source = source[Buffer(source)..];
            if (source.IsEmpty)
                return !_compressor.OutputRefused;
            if (!await _compressor.MakeRoomAsync(cancellationToken).ConfigureAwait(false))
                return false;
        }
    }

    /// <summary>Copies what fits of <paramref name="bytes"/> into the compressor's chunk; returns how much.</summary>
    private int Buffer(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        _compressor.Buffer(ref span);
        return bytes.Length - span.Length;
    }

    private async ValueTask AbortAsync(Exception exception)
    {
        // From here nothing reaches the destination: the compressor is freed, never finished.
        _unflushed.Clear();
        try
        {
            // Waits for requests in flight and returns the chunk buffers; a failure here says nothing new.
            _compressor.Dispose();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
        }
        await _destination.FailAsync(exception).ConfigureAwait(false);
    }

    private CancellationTokenSource FlushCancellation()
    {
        lock (_cancellationLock)
            return _flushCancellation ??= new CancellationTokenSource();
    }

    private void ThrowIfCompleted()
    {
        if (Completed)
            throw new InvalidOperationException("Writing is not allowed after the writer was completed.");
    }
}
