using System.Runtime.InteropServices;
using WarpDrive.Drivers.Qm;
using WarpDrive.Hashing;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression.DataPath;

/// <summary>
/// Inflates one deflate body (a gzip member, a zlib or raw stream) as stream-mode ZIP requests: each request takes
/// the input buffered so far and fills a pinned staging buffer, and the device keeps the stream's state between
/// requests in this inflater's context buffer, as it keeps the running checksum in the SQE.
/// </summary>
internal sealed class DeviceStreamInflater
{
    private const int StagingSize = 256 * 1024;
    private const int ContextSize = 64 * 1024; // the per-stream context buffer hardware asks for

    private readonly AcceleratorPool _pool;
    private readonly ZipRequestType _type;
    private readonly AcceleratorRequest _request;
    private readonly byte[] _context = GC.AllocateArray<byte>(ContextSize, pinned: true);
    private readonly byte[] _staging = GC.AllocateUninitializedArray<byte>(StagingSize, pinned: true);
    private int _stagedAt, _stagedEnd;
    private bool _newStream = true, _ended, _outputPending;
    private uint _checksum, _size;
    private uint _hostChecksum;

    public DeviceStreamInflater(AcceleratorPool pool, DeflateFormat format)
    {
        _pool = pool;
        _type = format.RequestType();
        _request = new AcceleratorRequest(format.Algorithm(), queueType: 1);
    }

    /// <summary>Decoded bytes wait to be served.</summary>
    public bool HasOutput => _stagedAt < _stagedEnd;

    /// <summary>The device has more output for the input it already took: send again, even with no new input.</summary>
    public bool OutputPending => _outputPending;

    /// <summary>The deflate stream ended and everything it decoded has been served.</summary>
    public bool Ended => _ended && !HasOutput;

    /// <summary>Starts a new deflate body.</summary>
    public void Reset()
    {
        _newStream = true;
        _ended = _outputPending = false;
        _hostChecksum = _type == ZipRequestType.Zlib ? 1u : 0u;
        _stagedAt = _stagedEnd = 0;
    }

    /// <summary>Copies decoded bytes into <paramref name="destination"/>.</summary>
    public int Serve(Span<byte> destination)
    {
        int n = Math.Min(destination.Length, _stagedEnd - _stagedAt);
        _staging.AsSpan(_stagedAt, n).CopyTo(destination);
        _stagedAt += n;
        return n;
    }

    /// <summary>Sends <paramref name="input"/> (empty when only pending output is wanted) as one request and waits on this thread. Returns the bytes it consumed.</summary>
    public int Send(Memory<byte> input)
    {
        Describe(input);
        _pool.Run(_request);
        return Accept();
    }

    /// <inheritdoc cref="Send" />
    public async ValueTask<int> SendAsync(Memory<byte> input, CancellationToken cancellationToken)
    {
        Describe(input);
        await _pool.RunAsync(_request, cancellationToken).ConfigureAwait(false);
        return Accept();
    }

    // The staging and context buffers live on the pinned object heap: memory that says so pins without a GC handle.
    private void Describe(Memory<byte> input) => DecompressRequest.Describe(_request, _type, input,
        MemoryMarshal.CreateFromPinnedArray(_staging, 0, _staging.Length), MemoryMarshal.CreateFromPinnedArray(_context, 0, _context.Length),
        _newStream, _checksum, _size);

    /// <summary>Takes the answered request's result: its status, stream state and staged output. Returns the bytes it consumed.</summary>
    private int Accept()
    {
        var sqe = new ZipSqe(_request.Sqe);
        switch (sqe.Status)
        {
            case ZipStatus.Ok or ZipStatus.NegativeCompression or ZipStatus.DecompressEnd:
                break;
            case ZipStatus.CrcError:
                throw new InvalidDataException("The compressed data is corrupt: invalid deflate data.");
            default:
                // An error about the device, not the data (a stream's state cannot move to another device).
                throw new IOException(
                    $"WarpDrive lost the decompression stream on {_request.ServedBy ?? "its device"} (status 0x{(int)sqe.Status:x2}, "
                    + $"{_request.Fallback}): a stream's state cannot move to another device. The output read so far is intact.");
        }
        _newStream = false;
        _ended = sqe.Status == ZipStatus.DecompressEnd;
        _checksum = sqe.Checksum;
        _size = sqe.InputSize;
        _stagedAt = 0;
        _stagedEnd = (int)Math.Min(sqe.Produced, (uint)StagingSize);
        CheckOutput(sqe.Checksum);
        // A full staging buffer may leave output inside the device.
        _outputPending = !_ended && _stagedEnd == StagingSize;
        return (int)sqe.Consumed;
    }

    /// <summary>
    /// The running checksum of the staged output, computed here, must equal the device's (raw deflate carries one
    /// only on the in-process engine): output that differs was damaged after the device produced it. A stream
    /// cannot be re-run elsewhere, so this throws <see cref="RejectedResultException"/> before serving any of it,
    /// for the reader to replay the body in process.
    /// </summary>
    private void CheckOutput(uint deviceChecksum)
    {
        if (_type == ZipRequestType.Deflate && !_pool.ServedInProcess(_request))
            return;
        var output = _staging.AsSpan(0, _stagedEnd);
        _hostChecksum = _type == ZipRequestType.Zlib ? DeflateChecksum.Adler32(_hostChecksum, output) : DeflateChecksum.Crc32(_hostChecksum, output);
        if (_hostChecksum != deviceChecksum)
        {
            _stagedEnd = 0;
            _pool.CountRejected(_request);
            throw new RejectedResultException(
                $"WarpDrive's decompression stream on {_request.ServedBy ?? "its device"} returned output that does not match its checksum "
                + "(a device fault); a stream's state cannot move to another device. The output read so far is intact.");
        }
    }
}

/// <summary>A stream-mode result that failed its check on the host: a device error the reader recovers from by replaying the body.</summary>
internal sealed class RejectedResultException(string message) : IOException(message);
