using System.Buffers;
using System.IO.Compression;
using WarpDrive.Compression.DataPath;
using WarpDrive.Compression.Sinks;

namespace WarpDrive.Compression;

/// <summary>
/// The behaviour <see cref="WarpDriveDeflateStream"/>, <see cref="WarpDriveGZipStream"/> and
/// <see cref="WarpDriveZLibStream"/> share: System.IO.Compression's observable stream contract (sync flush on
/// <see cref="Flush"/>, <see cref="InvalidOperationException"/> for the wrong direction,
/// <see cref="InvalidDataException"/> for bad data, empty in gives empty out, one operation at a time) over
/// WarpDrive's chunked, parallel device pipeline. Asynchronous members are asynchronous end to end.
/// </summary>
/// <remarks>
/// Disposing the stream while an operation is pending disposes the base stream (unless left open) and fails that
/// operation with <see cref="ObjectDisposedException"/>; the stream's buffers are freed only once it has returned.
/// </remarks>
public abstract class WarpDriveCompressionStream : Stream
{
    private readonly CompressionMode _mode;
    private readonly bool _leaveOpen;
    private readonly ChunkCompressor? _compressor;
    private readonly StreamDecompressor? _decompressor;
    private Stream? _stream;
    private readonly OperationGate _gate = new();

    private protected WarpDriveCompressionStream(Stream stream, CompressionMode mode, int level, bool leaveOpen,
        WarpDriveCompressionOptions? options, DeflateFormat format)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= WarpDriveCompressionOptions.Default;
        switch (mode)
        {
            case CompressionMode.Compress:
                if (!stream.CanWrite)
                    throw new ArgumentException("The stream does not support writing.", nameof(stream));
                ArgumentOutOfRangeException.ThrowIfLessThan(level, 0, nameof(level));
                ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9, nameof(level));
                // The stream closes its base stream itself (Dispose), so the sink leaves it open.
                _compressor = new ChunkCompressor(new StreamSink(stream, leaveOpen: true), format, level, options);
                break;
            case CompressionMode.Decompress:
                if (!stream.CanRead)
                    throw new ArgumentException("The stream does not support reading.", nameof(stream));
                options.Validate();
                _decompressor = new StreamDecompressor(stream, format, options);
                break;
            default:
                throw new ArgumentException("The compression mode is not valid.", nameof(mode));
        }
        _stream = stream;
        _mode = mode;
        _leaveOpen = leaveOpen;
    }

    /// <summary>
    /// True once a decompressing gzip stream skipped bytes after its last member, as GZipStream skips them silently
    /// (the gzip command warns about such trailing garbage).
    /// </summary>
    public bool IgnoredTrailingData => _decompressor?.IgnoredTrailingData ?? false;

    /// <summary>The reader's parallel requests served and the hints (block marks, member indexes) it found wrong.</summary>
    internal (int JobsServed, int HintsIgnored) ReaderStatistics => (_decompressor?.JobsServed ?? 0, _decompressor?.HintsIgnored ?? 0);

    /// <summary>The stream this one reads compressed data from or writes it to.</summary>
    public Stream BaseStream => _stream!;

    /// <inheritdoc />
    public override bool CanRead => _stream is not null && _mode == CompressionMode.Decompress && _stream.CanRead;

    /// <inheritdoc />
    public override bool CanWrite => _stream is not null && _mode == CompressionMode.Compress && _stream.CanWrite;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException("A compression stream does not support seeking.");

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException("A compression stream does not support seeking.");
        set => throw new NotSupportedException("A compression stream does not support seeking.");
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A compression stream does not support seeking.");

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("A compression stream does not support seeking.");

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var decompressor = Decompressor();
        _gate.Enter(this);
        int n;
        try
        {
            n = decompressor.Read(buffer);
        }
        catch (Exception e)
        {
            if (DisposedDuring())
                throw Disposed(e);
            throw;
        }
        Exit();
        return n;
    }

    /// <inheritdoc />
    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var decompressor = Decompressor();
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<int>(cancellationToken);
        _gate.Enter(this);
        return ReadCoreAsync(decompressor, buffer, cancellationToken);
    }

    private async ValueTask<int> ReadCoreAsync(StreamDecompressor decompressor, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int n;
        try
        {
            n = await decompressor.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (DisposedDuring())
                throw Disposed(e);
            throw;
        }
        Exit();
        return n;
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var compressor = Compressor();
        _gate.Enter(this);
        try
        {
            while (true)
            {
                compressor.Buffer(ref buffer);
                if (buffer.IsEmpty)
                    break;
                compressor.MakeRoom(); // a stream sink never refuses: it takes everything or throws
            }
        }
        catch (Exception e)
        {
            if (DisposedDuring())
                throw Disposed(e);
            throw;
        }
        Exit();
    }

    /// <inheritdoc />
    public override void WriteByte(byte value) => Write([value]);

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var compressor = Compressor();
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        _gate.Enter(this);
        return WriteCoreAsync(compressor, buffer, cancellationToken);
    }

    private async ValueTask WriteCoreAsync(ChunkCompressor compressor, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var span = buffer.Span;
                int before = span.Length;
                compressor.Buffer(ref span);
                buffer = buffer[(before - span.Length)..];
                if (buffer.IsEmpty)
                    break;
                await compressor.MakeRoomAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            if (DisposedDuring())
                throw Disposed(e);
            throw;
        }
        Exit();
    }

    /// <summary>Sync flush: everything written so far reaches the base stream, decodable by any reader. No-op when decompressing.</summary>
    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(_gate.IsDisposed, this);
        if (_compressor is null)
            return;
        _gate.Enter(this);
        try
        {
            _compressor.Flush();
        }
        catch (Exception e)
        {
            if (DisposedDuring())
                throw Disposed(e);
            throw;
        }
        Exit();
    }

    /// <inheritdoc cref="Flush" />
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_gate.IsDisposed, this);
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled(cancellationToken);
        if (_compressor is null)
            return Task.CompletedTask;
        _gate.Enter(this);
        return FlushCoreAsync(_compressor, cancellationToken);
    }

    private async Task FlushCoreAsync(ChunkCompressor compressor, CancellationToken cancellationToken)
    {
        try
        {
            await compressor.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (DisposedDuring())
                throw Disposed(e);
            throw;
        }
        Exit();
    }

    /// <inheritdoc />
    public override void CopyTo(Stream destination, int bufferSize)
    {
        ValidateCopyToArguments(destination, bufferSize);
        var decompressor = Decompressor();
        _gate.Enter(this);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            decompressor.CopyTo(destination, buffer);
        }
        catch (Exception e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (DisposedDuring())
                throw Disposed(e);
            throw;
        }
        ArrayPool<byte>.Shared.Return(buffer);
        Exit();
    }

    /// <inheritdoc />
    public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ValidateCopyToArguments(destination, bufferSize);
        var decompressor = Decompressor();
        _gate.Enter(this);
        return CopyToCoreAsync(decompressor, destination, bufferSize, cancellationToken);
    }

    private async Task CopyToCoreAsync(StreamDecompressor decompressor, Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            await decompressor.CopyToAsync(destination, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (DisposedDuring())
                throw Disposed(e);
            throw;
        }
        ArrayPool<byte>.Shared.Return(buffer);
        Exit();
    }

    /// <summary>
    /// Finishes the compressed stream (compression), then closes the base stream unless asked to leave it open. With
    /// an operation pending it finishes nothing: it closes the base stream (unless left open) and leaves the rest
    /// to that operation, which fails with <see cref="ObjectDisposedException"/>.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        try
        {
            if (disposing && _stream is { } stream)
            {
                bool now = _gate.Dispose(out bool busy);
                try
                {
                    if (now && _compressor is not null)
                        _compressor.Finish();
                }
                finally
                {
                    if (now)
                        Release();
                    if ((now || busy) && !_leaveOpen)
                        stream.Dispose();
                }
            }
        }
        finally
        {
            base.Dispose(disposing);
        }
    }

    /// <inheritdoc cref="Dispose(bool)" />
    public override async ValueTask DisposeAsync()
    {
        if (_stream is { } stream)
        {
            bool now = _gate.Dispose(out bool busy);
            try
            {
                if (now && _compressor is not null)
                    await _compressor.FinishAsync(CancellationToken.None).ConfigureAwait(false);
            }
            finally
            {
                if (now)
                    Release();
                if ((now || busy) && !_leaveOpen)
                    await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
        await base.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Ends an operation that completed; when the stream was disposed meanwhile, frees it and fails the operation.</summary>
    private void Exit()
    {
        if (_gate.Exit())
        {
            Release();
            throw new ObjectDisposedException(GetType().Name, "The stream was disposed while the operation was pending.");
        }
    }

    /// <summary>
    /// Ends an operation that threw: true when the stream was disposed meanwhile, which frees it; the failure then
    /// surfaces as <see cref="ObjectDisposedException"/>.
    /// </summary>
    private bool DisposedDuring()
    {
        if (!_gate.Exit())
            return false;
        Release();
        return true;
    }

    private ObjectDisposedException Disposed(Exception inner) =>
        new($"{GetType().Name}: the stream was disposed while the operation was pending.", inner);


    /// <summary>Frees the pipeline: waits for requests in flight (their buffers belong to the device until then) and returns buffers.</summary>
    private void Release()
    {
        _stream = null;
        _compressor?.Dispose();
        _decompressor?.Dispose();
    }

    private StreamDecompressor Decompressor()
    {
        ObjectDisposedException.ThrowIf(_gate.IsDisposed, this);
        return _decompressor ?? throw new InvalidOperationException("Reading from the compression stream is not supported.");
    }

    /// <summary>Whether this stream compresses (it decompresses otherwise).</summary>
    private protected bool IsCompressing => _compressor is not null;

    /// <summary>The first gzip member's header, once a decompressing stream has read it.</summary>
    private protected Framing.GzipHeader? FirstGzipHeader => _decompressor?.FirstGzipHeader;

    /// <summary>The compressor, for header settings that only apply before anything is written.</summary>
    /// <exception cref="InvalidOperationException">The stream decompresses, or data has been written.</exception>
    private protected ChunkCompressor CompressorBeforeFirstWrite(string setting)
    {
        var compressor = Compressor();
        if (compressor.TotalIn > 0)
            throw new InvalidOperationException($"{setting} must be set before the first write.");
        return compressor;
    }

    private ChunkCompressor Compressor()
    {
        ObjectDisposedException.ThrowIf(_gate.IsDisposed, this);
        return _compressor ?? throw new InvalidOperationException("Writing to the compression stream is not supported.");
    }
}
