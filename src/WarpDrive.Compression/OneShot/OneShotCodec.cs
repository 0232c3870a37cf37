using System.Buffers;
using WarpDrive.Compression.DataPath;
using WarpDrive.Compression.Sinks;

namespace WarpDrive.Compression.OneShot;

/// <summary>The one-shot and incremental span API shared by the three formats' encoders and decoders.</summary>
internal static unsafe class OneShotCodec
{
    public static bool TryCompress(DeflateFormat format, ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten, int level, WarpDriveCompressionOptions? options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        options ??= WarpDriveCompressionOptions.Default;
        fixed (byte* output = destination)
        {
            var sink = new SpanSink(output, destination.Length);
            using var compressor = new ChunkCompressor(sink, format, level, options);
            // A full destination is the sink refusing a write: every step then returns false, and nothing more is
            // compressed. The public contract reports it as false with nothing written.
            bool fits = true;
            while (fits)
            {
                compressor.Buffer(ref source);
                if (source.IsEmpty)
                    break;
                fits = compressor.MakeRoom();
            }
            fits = fits && compressor.Finish();
            bytesWritten = fits ? sink.Written : 0;
            return fits;
        }
    }

    public static bool TryDecompress(DeflateFormat format, ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten, WarpDriveCompressionOptions? options)
    {
        options ??= WarpDriveCompressionOptions.Default;
        fixed (byte* input = source)
        {
            using Stream stream = source.IsEmpty ? new MemoryStream([], writable: false) : new UnmanagedMemoryStream(input, source.Length);
            using var decompressor = new StreamDecompressor(stream, format, options);
            int written = 0;
            while (written < destination.Length)
            {
                int n = decompressor.Read(destination[written..]);
                if (n == 0)
                {
                    bytesWritten = written;
                    return true;
                }
                written += n;
            }
            // Full: it fits only if the stream has nothing more to give.
            Span<byte> probe = stackalloc byte[1];
            if (decompressor.Read(probe) == 0)
            {
                bytesWritten = written;
                return true;
            }
            bytesWritten = 0;
            return false;
        }
    }

    public static long GetMaxCompressedLength(DeflateFormat format, long inputLength, WarpDriveCompressionOptions? options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        options ??= WarpDriveCompressionOptions.Default;
        return ChunkCompressor.MaxCompressedLength(inputLength, format, options.ChunkSize, options.IndependentBlockSize);
    }
}

/// <summary>State of an incremental encoder: a chunk pipeline writing into a pending buffer drained into callers' spans.</summary>
internal sealed class IncrementalEncoder : IDisposable
{
    private readonly PendingSink _pending = new();
    private readonly ChunkCompressor _compressor;
    private bool _finished;

    public IncrementalEncoder(DeflateFormat format, int level, WarpDriveCompressionOptions? options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        _compressor = new ChunkCompressor(_pending, format, level, options ?? WarpDriveCompressionOptions.Default);
    }

    public OperationStatus Compress(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesConsumed, out int bytesWritten, bool isFinalBlock)
    {
        if (_finished && !source.IsEmpty)
            throw new InvalidOperationException("The encoder has finished its stream.");
        bytesConsumed = source.Length;
        while (true)
        {
            _compressor.Buffer(ref source);
            if (source.IsEmpty)
                break;
            _compressor.MakeRoom(); // the pending sink takes everything
        }
        if (isFinalBlock && !_finished)
        {
            _compressor.Finish();
            _finished = true;
        }
        bytesWritten = _pending.Drain(destination);
        return _pending.Pending > 0 ? OperationStatus.DestinationTooSmall : OperationStatus.Done;
    }

    public OperationStatus Flush(Span<byte> destination, out int bytesWritten)
    {
        if (!_finished)
            _compressor.Flush();
        bytesWritten = _pending.Drain(destination);
        return _pending.Pending > 0 ? OperationStatus.DestinationTooSmall : OperationStatus.Done;
    }

    public void Dispose() => _compressor.Dispose();
}

/// <summary>State of an incremental decoder: the streaming decompressor over pushed input.</summary>
internal sealed class IncrementalDecoder : IDisposable
{
    private readonly PushInput _input = new();
    private readonly StreamDecompressor _decompressor;
    private bool _done;

    public IncrementalDecoder(DeflateFormat format)
    {
        // Pushed input may run dry anywhere, so members are inflated in process rather than read whole.
        _decompressor = new StreamDecompressor(_input, format, new WarpDriveCompressionOptions { ParallelDecompression = false });
    }

    public OperationStatus Decompress(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesConsumed, out int bytesWritten)
    {
        _input.Push(source);
        bytesConsumed = source.Length;
        bytesWritten = 0;
        if (_done)
            return OperationStatus.Done;
        try
        {
            while (bytesWritten < destination.Length)
            {
                int n = _decompressor.Read(destination[bytesWritten..]);
                if (n == 0)
                {
                    _done = true;
                    return OperationStatus.Done;
                }
                bytesWritten += n;
            }
            return OperationStatus.DestinationTooSmall;
        }
        catch (NeedMoreDataException)
        {
            // Between gzip members the stream is complete; more members may still be pushed.
            return _decompressor.AtMemberBoundary ? OperationStatus.Done : OperationStatus.NeedMoreData;
        }
        catch (InvalidDataException)
        {
            return OperationStatus.InvalidData;
        }
    }

    public void Dispose() => _decompressor.Dispose();
}
