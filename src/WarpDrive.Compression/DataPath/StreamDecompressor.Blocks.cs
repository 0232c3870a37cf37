using System.Buffers;
using System.Buffers.Binary;
using WarpDrive.Drivers.Qm;
using WarpDrive.Hashing;

namespace WarpDrive.Compression.DataPath;

/// <summary>
/// A single gzip member whose header carries the <c>'W','B'</c> block size (<see cref="Framing"/>): every block
/// that ends with <see cref="Framing.BlockMark"/> in the input buffered so far is sent as one stateless
/// decompress request, closed by an empty final block, with no window. Nothing is taken on trust:
/// <list type="bullet">
/// <item>A block decodes on its own only if it starts at a block boundary and never reaches back before its
/// start (zlib and libdeflate refuse a distance past the output). The first block starts the deflate stream.</item>
/// <item>A block's request must end exactly where the closing final block does: that holds only when the block
/// boundary after it is a real one, so the next block's start is proven before its output is served.</item>
/// <item>A request that fails reads the rest of the member serially from the last proven boundary, the inflater
/// primed with the 32 KiB served before it: a forged or misleading mark costs speed, never data.</item>
/// </list>
/// The CRC-32 of each block's output is computed here: one that differs from the device's is a device fault, and
/// the request is re-run in software; the member's, combined from them, is checked against the trailer.
/// </summary>
internal sealed partial class StreamDecompressor
{
    private const int Window = 32 * 1024;
    // A block shorter than this is read as part of the next one rather than sent on its own.
    private const int MinBlockInput = 1024;
    // A whole member this small inflates in process sooner than a request's round trip.
    private const int MinRequestInput = 64 * 1024;

    private byte[] _window = [];
    private int _windowLength;
    private int _blockSize;
    private int _blockScan;        // offset from _start where the search for the next mark resumes
    private bool _lastBlockSent;

    /// <summary>Blocks of one member: at most this much compressed input is buffered looking for a mark.</summary>
    private int MaxBlockInput => _blockSize + (_blockSize >> 3) + (64 * 1024);

    private void StartBlocks(int blockSize)
    {
        _blockSize = blockSize;
        _blockScan = 0;
        _windowLength = 0;
        _lastBlockSent = false;
        _state = State.Blocks;
    }

    /// <summary>Sends every whole block buffered (within the in-flight budget), then says what to do next.</summary>
    private Need NextBlockStep()
    {
        if (_lastBlockSent)
            return Need.ServeJob;
        while (_jobs.Count < _maxInFlight && _bytesInFlight < MaxBytesInFlight)
        {
            if (TryFindBlockEnd(out int length))
            {
                SendBlock(length, last: false);
                continue;
            }
            int rest = _end - _start;
            if (_eof && _jobs.Count == 0 && _windowLength == 0 && rest < MinRequestInput)
            {
                // The whole member is one small block: no parallelism to win.
                ReadRestSerially();
                return Need.None;
            }
            if (_eof && rest > 0 && rest <= MaxBlockInput)
            {
                // The input ended: what is left is the last block, its trailer and whatever follows the member.
                SendBlock(rest, last: true);
                return Need.ServeJob;
            }
            break;
        }
        int buffered = _end - _start;
        // A source that returned less than asked may be a live one that paused, waiting for what it sent so far
        // to be read: never wait on it while holding undecoded input. Seekable sources never pause.
        bool mayWait = _input.CanSeek || !_lastFillShort;
        bool budgetSpent = _jobs.Count >= _maxInFlight || _bytesInFlight >= MaxBytesInFlight;
        if (_jobs.Count > 0 && (budgetSpent || !mayWait || _eof || buffered >= MaxBlockInput))
            return Need.ServeJob;
        if (_jobs.Count == 0 && (_eof || buffered >= MaxBlockInput || (!mayWait && buffered > 0)))
        {
            ReadRestSerially();
            return Need.None;
        }
        return Need.ReadAhead;
    }

    /// <summary>Finds the next <see cref="Framing.BlockMark"/> at least <see cref="MinBlockInput"/> bytes in; the block ends after it.</summary>
    private bool TryFindBlockEnd(out int length)
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        while (true)
        {
            int at = data[_blockScan..].IndexOf(Framing.BlockMark);
            if (at < 0)
            {
                _blockScan = Math.Max(_blockScan, data.Length - (Framing.BlockMark.Length - 1));
                length = 0;
                return false;
            }
            _blockScan += at + Framing.BlockMark.Length;
            if (_blockScan >= MinBlockInput)
            {
                length = _blockScan;
                _blockScan = 0;
                return true;
            }
        }
    }

    private void SendBlock(int length, bool last)
    {
        var job = TakeJob(block: true);
        int body = last ? length : length + Framing.EmptyFinalBlock.Length;
        job.Input = ArrayPool<byte>.Shared.Rent(body);
        _buffer.AsSpan(_start, length).CopyTo(job.Input);
        if (!last)
            Framing.EmptyFinalBlock.CopyTo(job.Input.AsSpan(length));
        _start += length;
        job.SourceLength = length;
        job.BodyLength = body;
        job.LastBlock = last;
        job.Output = ArrayPool<byte>.Shared.Rent(_blockSize);
        job.OutputLength = _blockSize;
        job.Budget = body + _blockSize;
        Send(job, CancellationToken.None);
        _lastBlockSent = last;
    }

    /// <summary>
    /// True when the request decoded the block whole: up to the closing final block exactly (which proves the next
    /// block's start), or for the last block to the end of the member's deflate stream, within the block size.
    /// </summary>
    private bool BlockDecoded(DecodeJob job)
    {
        var sqe = new ZipSqe(job.Request.Sqe);
        if (sqe.Status != ZipStatus.DecompressEnd || sqe.Produced > (uint)_blockSize)
            return false;
        job.OutputLength = (int)sqe.Produced;
        return job.LastBlock ? sqe.Consumed > 0 && sqe.Consumed <= (uint)job.SourceLength : sqe.Consumed == (uint)job.BodyLength;
    }

    /// <summary>A block about to be served: its bytes count into the member's CRC-32 and become the window.</summary>
    private void Served(DecodeJob job)
    {
        var output = job.Output.AsSpan(0, job.OutputLength);
        _checksum = DeflateChecksum.Crc32Combine(_checksum, job.OutputCrc, output.Length);
        _memberOut += output.Length;
        if (_window.Length == 0)
            _window = new byte[Window];
        if (output.Length >= Window)
        {
            output[^Window..].CopyTo(_window);
            _windowLength = Window;
        }
        else
        {
            int keep = Math.Min(_windowLength, Window - output.Length);
            _window.AsSpan(_windowLength - keep, keep).CopyTo(_window);
            output.CopyTo(_window.AsSpan(keep));
            _windowLength = keep + output.Length;
        }
        if (job.LastBlock)
        {
            // The trailer (and whatever follows the member) goes back to be read as usual.
            int consumed = (int)new ZipSqe(job.Request.Sqe).Consumed;
            Unread(job.Input.AsMemory(consumed, job.SourceLength - consumed));
            _blockSize = 0;
            _state = State.Trailer;
        }
    }

    /// <summary>
    /// A block that did not decode as marked: it and every block queued after it go back in front of the input,
    /// and the rest of the member is inflated serially from the start of that block, a proven boundary.
    /// </summary>
    private async ValueTask ReadBlocksSeriallyAsync(DecodeJob failed)
    {
        await UnreadQueuedAsync(failed, separator: null).ConfigureAwait(false);
        ReadRestSerially();
    }

    /// <summary>
    /// Inflates the rest of the member serially from the buffered input, which starts at a proven block boundary.
    /// The block there may reach back into the output served before it, so the inflater is first primed with that
    /// window: a stored block holding it goes in front of the input, and its output is dropped.
    /// </summary>
    private void ReadRestSerially()
    {
        uint checksum = _checksum;
        long served = _memberOut;
        StartBody();
        _checksum = checksum;
        _memberOut = served;
        _replayOrigin = served;
        _blockSize = 0;
        _lastBlockSent = false;
        if (_windowLength == 0)
            return;
        var stored = new byte[5];
        BinaryPrimitives.WriteUInt16LittleEndian(stored.AsSpan(1), (ushort)_windowLength);
        BinaryPrimitives.WriteUInt16LittleEndian(stored.AsSpan(3), (ushort)~_windowLength);
        Unread(stored, _window.AsMemory(0, _windowLength));
        _discard = _windowLength;
        _replayOrigin = served - _windowLength;
        _windowLength = 0;
    }
}
