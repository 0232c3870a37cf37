using WarpDrive.Drivers.Qm;
using WarpDrive.Hashing;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression.DataPath;

/// <summary>What one <see cref="InlineInflater.Run"/> call ended on.</summary>
internal enum InflateStatus
{
    /// <summary>All input taken; the deflate stream goes on.</summary>
    NeedsInput,

    /// <summary>The output is full; more may follow from the input taken.</summary>
    OutputFull,

    /// <summary>The deflate stream ended.</summary>
    StreamEnd,

    /// <summary>The input is not valid deflate.</summary>
    DataError,
}

/// <summary>
/// Inflates a deflate body serially as stream-mode requests the pool runs in line on its in-process device
/// (<see cref="AcceleratorPool.RunInline"/>): straight from the caller's input into the caller's output, on the
/// caller's thread, the stream's codec kept with the request, the body's checksum (CRC-32 for gzip, Adler-32 for
/// zlib) computed by the engine as it writes. What a reader uses when no device would do better, and to replay a
/// body a device's result was rejected for. One body at a time; <see cref="Reset"/> starts the next.
/// </summary>
internal sealed unsafe class InlineInflater : IDisposable
{
    // The soft engine keeps a stream's identity in the first 16 bytes of the context buffer.
    private const int ContextBytes = 16;

    private readonly AcceleratorPool _pool;
    private readonly ZipRequestType _type;
    private readonly AcceleratorRequest _request;
    private readonly byte[] _context = new byte[ContextBytes];
    private readonly PointerMemory _input = new(), _output = new();
    private bool _newStream = true;
    private uint _size;

    // One spare per thread: a reader that ends hands its inflater (request, codec) to the thread's next one.
    [ThreadStatic]
    private static InlineInflater? t_spare;

    private InlineInflater(AcceleratorPool pool, DeflateFormat format)
    {
        _pool = pool;
        _type = format.RequestType();
        _request = new AcceleratorRequest(format.Algorithm(), queueType: 1);
    }

    /// <summary>An inflater on <paramref name="pool"/> for <paramref name="format"/>: this thread's spare if it has one that fits.</summary>
    public static InlineInflater Rent(AcceleratorPool pool, DeflateFormat format)
    {
        var spare = t_spare;
        if (spare?._pool != pool || spare._type != format.RequestType())
            return new InlineInflater(pool, format);
        t_spare = null;
        return spare;
    }

    /// <summary>Hands an inflater back: it becomes this thread's spare (its codec kept for the next body), or is freed.</summary>
    public static void Return(InlineInflater inflater)
    {
        t_spare?.Dispose();
        t_spare = inflater;
    }

    /// <summary>The next <see cref="Run"/> starts a new deflate body.</summary>
    public void Reset() => _newStream = true;

    /// <summary>
    /// Inflates from <paramref name="input"/> into <paramref name="output"/>, continuing the body, and carries
    /// <paramref name="checksum"/> (the body's so far; unchanged for raw deflate) over what it produced.
    /// </summary>
    /// <exception cref="IOException">The engine failed for a reason other than the data.</exception>
    public InflateStatus Run(ReadOnlySpan<byte> input, Span<byte> output, ref uint checksum, out int consumed, out int produced)
    {
        bool fresh = _newStream;
        var status = Send(input, output, stream: true, checksum, out consumed, out produced, out uint carried);
        _newStream = false;
        // A new stream starts the engine's checksum afresh; a body resumed midway (after a replay) continues the caller's.
        checksum = _type switch
        {
            ZipRequestType.Gzip => fresh ? DeflateChecksum.Crc32Combine(checksum, carried, produced) : carried,
            ZipRequestType.Zlib => fresh ? DeflateChecksum.Adler32Combine(checksum, carried, produced) : carried,
            _ => checksum,
        };
        return status;
    }

    /// <summary>
    /// Inflates <paramref name="input"/>, a whole deflate stream, as one stateless request (libdeflate where the
    /// engine has it); <see cref="InflateStatus.StreamEnd"/> when it ended within the input and the output.
    /// </summary>
    /// <exception cref="IOException">The engine failed for a reason other than the data.</exception>
    public InflateStatus RunWhole(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced) =>
        Send(input, output, stream: false, checksum: 0, out consumed, out produced, out _);

    private InflateStatus Send(ReadOnlySpan<byte> input, Span<byte> output, bool stream, uint checksum, out int consumed, out int produced, out uint carried)
    {
        fixed (byte* source = input)
        fixed (byte* destination = output)
        {
            _input.Point(source, input.Length);
            _output.Point(destination, output.Length);
            // A whole body checked byte for byte needs no checksum: raw deflate asks for none.
            DecompressRequest.Describe(_request, stream ? _type : ZipRequestType.Deflate, _input.Memory, _output.Memory,
                stream ? _context : Memory<byte>.Empty, _newStream, checksum, _size);
            // Completes before it returns: the fixed buffers outlive the run.
            Synchronously.Complete(_pool.RunInline(_request));
        }
        var sqe = new ZipSqeView(_request.Sqe);
        consumed = (int)sqe.Consumed;
        produced = (int)sqe.Produced;
        carried = sqe.Checksum;
        _size = sqe.InputSize;
        return sqe.Status switch
        {
            ZipStatus.DecompressEnd => InflateStatus.StreamEnd,
            ZipStatus.CrcError => InflateStatus.DataError,
            ZipStatus.OutputTooSmall => InflateStatus.OutputFull,
            ZipStatus.Ok or ZipStatus.NegativeCompression => produced == output.Length && output.Length > 0 ? InflateStatus.OutputFull : InflateStatus.NeedsInput,
            _ => throw new IOException($"WarpDrive's in-process inflater failed (status 0x{(int)sqe.Status:x2}); the output read so far is intact."),
        };
    }

    /// <summary>Frees the stream's codec.</summary>
    public void Dispose() => _request.ReleaseStream();
}
