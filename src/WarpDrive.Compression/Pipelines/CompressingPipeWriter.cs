using System.IO.Pipelines;

namespace WarpDrive.Compression.Pipelines;

/// <summary>
/// The writer <see cref="WarpDrivePipes.CreateCompressingWriter(PipeWriter, WarpDrivePipeFormat, System.IO.Compression.CompressionLevel, WarpDriveCompressionOptions?, bool)"/>
/// returns: a <see cref="StreamPipeWriterOptions">stream pipe writer</see> buffers the caller's bytes and hands them
/// to a WarpDrive compressing stream on flush; the compressing stream writes into the destination adapter.
/// </summary>
/// <remarks>
/// Layers: caller → buffer (StreamPipeWriter) → flush gate → compressing stream →
/// <see cref="DestinationStream"/> → destination. The gate keeps the buffer's closing flush from becoming a sync
/// flush just before the stream is finished (a wasted empty block and, for gzip, a cut member).
/// </remarks>
internal sealed class CompressingPipeWriter : PipeWriter
{
    private readonly DestinationStream _destination;
    private readonly WarpDriveCompressionStream _compressor;
    private readonly PipeWriter _buffer;
    private int _completed;
    private bool _finishing; // the buffer's closing flush is not a sync flush

    public CompressingPipeWriter(DestinationStream destination, WarpDriveCompressionStream compressor, int segmentSize)
    {
        _destination = destination;
        _compressor = compressor;
        _buffer = Create(new FlushGate(compressor, this), new StreamPipeWriterOptions(minimumBufferSize: segmentSize, leaveOpen: true));
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);

    public override void Advance(int bytes) => _buffer.Advance(bytes);

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _buffer.UnflushedBytes;

    public override void CancelPendingFlush() => _buffer.CancelPendingFlush();

    /// <summary>Sync flush: the buffered bytes go through the compressor and everything so far reaches the destination.</summary>
    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        var result = await _buffer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new FlushResult(result.IsCanceled, _destination.ReaderCompleted);
    }

    /// <summary>Writes <paramref name="source"/> after the buffered bytes, then flushes as <see cref="FlushAsync"/>.</summary>
    public override async ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        var result = await _buffer.WriteAsync(source, cancellationToken).ConfigureAwait(false);
        return new FlushResult(result.IsCanceled, _destination.ReaderCompleted);
    }

    public override void Complete(Exception? exception = null) => CompleteAsync(exception).AsTask().GetAwaiter().GetResult();

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
            _finishing = true;
            await _buffer.CompleteAsync().ConfigureAwait(false);
            await _compressor.DisposeAsync().ConfigureAwait(false);
            await _destination.FinishAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await AbortAsync(e).ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask AbortAsync(Exception exception)
    {
        // From here nothing reaches the destination: the compressor's final block and trailer go nowhere.
        _destination.Abort();
        try
        {
            await _buffer.CompleteAsync(exception).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                // Waits for requests in flight and returns the chunk buffers; a failure here says nothing new.
                await _compressor.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
            }
            await _destination.FailAsync(exception).ConfigureAwait(false);
        }
    }

    /// <summary>Passes writes through; passes flushes through until the owner starts finishing.</summary>
    private sealed class FlushGate(Stream inner, CompressingPipeWriter owner) : WriteOnlyStream
    {
        private bool PassFlush => !owner._finishing;

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override void Flush()
        {
            if (PassFlush)
                inner.Flush();
        }

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            PassFlush ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;
    }
}
