using System.Buffers;
using System.Buffers.Binary;
using WarpDrive.Drivers.Qm;
using WarpDrive.Hashing;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression.DataPath;

/// <summary>
/// Streaming, bounded-memory decompression of raw deflate, zlib and (multi-member) gzip. A deflate body is
/// inflated serially: as stream-mode requests (<see cref="DeviceStreamInflater"/>) when a hardware or kernel
/// device serves it, or when asked; on the in-process soft engine alone as stream-mode requests run in line
/// (<see cref="InlineInflater"/>): the engine's own codec on the caller's thread, without a queue's round trip.
/// WarpDrive's own gzip is decompressed in parallel where it says how: its independent blocks
/// (StreamDecompressor.Blocks.cs) or indexed members (StreamDecompressor.Members.cs) become stateless ZIP requests,
/// several in flight, served in order. Every checksum is checked here against the trailer, computed on the host:
/// over the bytes served, or by the in-process engine as it writes them.
/// </summary>
internal sealed partial class StreamDecompressor : IDisposable
{
    private const int InputBufferSize = 128 * 1024;
    private const int MaxHeaderBytes = 1 << 20;
    // Members read whole are at most this big either way, and at most MaxBytesInFlight of them wait at once: a
    // hostile index cannot make the reader hold more; bigger members are inflated as a stream.
    private const int MaxIndexedMember = 16 << 20;
    private const long MaxBytesInFlight = 64L << 20;

    private readonly Stream _input;
    private readonly DeflateFormat _format;
    private readonly bool _strict;
    private readonly AcceleratorPool? _pool;
    private readonly int _maxInFlight;
    private readonly Queue<DecodeJob> _jobs = new();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InputBufferSize);
    private int _start, _end;
    private bool _eof;
    private State _state = State.Header;
    private bool _atBoundary;
    private readonly AcceleratorPool _inlinePool;
    private InlineInflater? _inflater;
    private readonly DeviceStreamInflater? _device;
    private uint _checksum;
    private long _memberOut;
    private DecodeJob? _serving;
    private long _discard;  // output bytes still to drop: a primed window, or what was served before a replay
    // Stream mode: the body's compressed bytes the device has taken, kept (up to MaxReplay) so that a result the
    // host rejects can be replayed in process; null once the body outgrew it.
    private MemoryStream? _replay;
    private bool _deviceAbandoned;
    private long _replayOrigin;     // _memberOut less the output the replay re-produces before new bytes (ReplayInProcess)
    private const int MaxReplay = 64 << 20;
    private int _servingAt;
    private bool _disposed;
    private long _bytesInFlight;

    private bool _lastFillShort;
    // How the operation in progress waits: set by each entry point (one operation at a time), read where the core
    // waits (FillAsync, SendToDeviceAsync, WaitForAsync, WriteOutAsync). Written once; a synchronous operation's
    // core completes in line.
    private bool _synchronous;

    private enum State { Header, Body, Blocks, Trailer, Done }

    public StreamDecompressor(Stream input, DeflateFormat format, WarpDriveCompressionOptions options)
    {
        _input = input;
        _format = format;
        _strict = options.ThrowOnTruncatedInput;
        _pool = format == DeflateFormat.GZip && options.ParallelDecompression ? options.ResolvePool() : null;
        _maxInFlight = Math.Max(1, options.MaxInFlight);
        _inlinePool = options.ResolvePool();
        if (UsesRequests(options, format))
            _device = new DeviceStreamInflater(options.ResolvePool(), format);
    }

    /// <summary>Stream-mode requests when asked for, or when a device other than the in-process engine serves the format.</summary>
    private static bool UsesRequests(WarpDriveCompressionOptions options, DeflateFormat format) => options.StreamDecompression switch
    {
        StreamDecompressionMode.Requests => true,
        StreamDecompressionMode.InProcess => false,
        _ => options.ResolvePool().Serving(format.Algorithm()).OnDevice,
    };

    /// <summary>True between gzip members (what is buffered, if anything, has not started another): a complete stream so far.</summary>
    public bool AtMemberBoundary => _state is State.Header or State.Done && _atBoundary && _jobs.Count == 0 && _serving is null;

    /// <summary>True once bytes after the last gzip member were skipped as trailing data (gzip warns about them).</summary>
    public bool IgnoredTrailingData { get; private set; }

    /// <summary>The first gzip member's header, once read.</summary>
    public Framing.GzipHeader? FirstGzipHeader { get; private set; }

    private enum Need { None, ServeJob, Header, Fill, ReadAhead, Request, Trailer, End }

    /// <summary>Reads decompressed bytes into <paramref name="destination"/>, blocking on the input and the device.</summary>
    public int Read(Span<byte> destination)
    {
        if (destination.IsEmpty)
            return 0;
        _synchronous = true;
        while (true)
        {
            int n = Step(destination, out var need);
            if (n > 0)
                return n;
            if (need == Need.End)
                return 0;
            if (need != Need.None)
                Synchronously.Complete(PerformAsync(need, CancellationToken.None));
        }
    }

    /// <summary>Reads decompressed bytes into <paramref name="destination"/>, asynchronously end to end.</summary>
    public ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
            return new(0);
        _synchronous = false;
        return ReadCoreAsync(destination, cancellationToken);
    }

    private async ValueTask<int> ReadCoreAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            int n = Step(destination.Span, out var need);
            if (n > 0)
                return n;
            if (need == Need.End)
                return 0;
            if (need != Need.None)
                await PerformAsync(need, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies the rest of the stream to <paramref name="destination"/>, writing whole decompressed members without a copy.</summary>
    public void CopyTo(Stream destination, byte[] buffer)
    {
        _synchronous = true;
        Synchronously.Complete(CopyToCoreAsync(destination, buffer, CancellationToken.None));
    }

    /// <inheritdoc cref="CopyTo" />
    public ValueTask CopyToAsync(Stream destination, byte[] buffer, CancellationToken cancellationToken)
    {
        _synchronous = false;
        return CopyToCoreAsync(destination, buffer, cancellationToken);
    }

    private async ValueTask CopyToCoreAsync(Stream destination, byte[] buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_serving is { } serving)
            {
                await WriteOutAsync(destination, serving.Output.AsMemory(_servingAt, serving.OutputLength - _servingAt), cancellationToken).ConfigureAwait(false);
                Recycle(serving);
                _serving = null;
                continue;
            }
            int n = _synchronous ? Read(buffer) : await ReadCoreAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0)
                return;
            await WriteOutAsync(destination, buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes decompressed bytes to a CopyTo destination, in the operation's way.</summary>
    private ValueTask WriteOutAsync(Stream destination, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!_synchronous)
            return destination.WriteAsync(data, cancellationToken);
        destination.Write(data.Span);
        return default;
    }

    /// <summary>
    /// Waits for a job's request, in the operation's way: a synchronous one drains the queue on this thread
    /// (<see cref="RequestWaiter.Wait"/>), so its core completes before it returns; an asynchronous one awaits.
    /// </summary>
    private ValueTask WaitForAsync(DecodeJob job)
    {
        if (!_synchronous)
            return job.Pending;
        RequestWaiter.Wait(_pool!, job.Request, job.Pending);
        return default;
    }

    /// <summary>Produces output from what is at hand, or says what must happen first.</summary>
    private int Step(Span<byte> destination, out Need need)
    {
        need = Need.None;
        if (_serving is { } serving)
        {
            int n = Math.Min(destination.Length, serving.OutputLength - _servingAt);
            serving.Output.AsSpan(_servingAt, n).CopyTo(destination);
            _servingAt += n;
            if (_servingAt == serving.OutputLength)
            {
                Recycle(serving);
                _serving = null;
            }
            return n;
        }
        if (_state == State.Blocks)
        {
            need = NextBlockStep();
            return 0;
        }
        // At a member boundary with nothing buffered the source may be a live one that paused (a flushed writer
        // waiting for an answer): hand out what is decoded before blocking on it.
        if (_jobs.Count > 0 && (_jobs.Count >= _maxInFlight || _bytesInFlight >= MaxBytesInFlight || _state != State.Header || _start == _end))
        {
            need = Need.ServeJob;
            return 0;
        }
        switch (_state)
        {
            case State.Header:
                need = Need.Header;
                return 0;
            case State.Body when _device is { } device && !_deviceAbandoned:
                return StepOnDevice(device, destination, out need);
            case State.Body when _discard > 0:
                DiscardPrimedWindow();
                return 0;
            case State.Body:
                int produced = Inflate(destination);
                if (produced == 0 && _state == State.Body && _start == _end)
                    need = Need.Fill;
                return produced;
            case State.Trailer:
                need = Need.Trailer;
                return 0;
            default:
                need = Need.End;
                return 0;
        }
    }

    /// <summary>The Body step with stream-mode requests: serve decoded bytes, else ask for a request or more input.</summary>
    private int StepOnDevice(DeviceStreamInflater device, Span<byte> destination, out Need need)
    {
        need = Need.None;
        if (device.HasOutput)
        {
            if (_discard > 0)
            {
                _discard -= device.Serve(_window.AsSpan(0, (int)Math.Min(_discard, _window.Length)));
                return 0;
            }
            int n = device.Serve(destination);
            Account(destination[..n]);
            return n;
        }
        if (device.Ended)
        {
            _state = _format == DeflateFormat.Deflate ? State.Done : State.Trailer;
            return 0;
        }
        need = _start == _end && !device.OutputPending ? Need.Fill : Need.Request;
        return 0;
    }

    private async ValueTask PerformAsync(Need need, CancellationToken cancellationToken)
    {
        switch (need)
        {
            case Need.Request:
                await SendToDeviceAsync(cancellationToken).ConfigureAwait(false);
                break;
            case Need.ServeJob:
                await ServeNextJobAsync().ConfigureAwait(false);
                break;
            case Need.Header:
                await ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
                break;
            case Need.Trailer:
                await ReadTrailerAsync(cancellationToken).ConfigureAwait(false);
                break;
            case Need.Fill:
                if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                    Truncated("deflate data");
                break;
            case Need.ReadAhead:
                await FillAsync(cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// One stream-mode request. A result the host rejects (its checksum does not match) cannot be re-run on the
    /// device, whose state has moved on: the body is replayed in process from its start, dropping what was served.
    /// </summary>
    private async ValueTask SendToDeviceAsync(CancellationToken cancellationToken)
    {
        int consumed;
        try
        {
            var input = _buffer.AsMemory(_start, _end - _start);
            consumed = _synchronous ? _device!.Send(input) : await _device!.SendAsync(input, cancellationToken).ConfigureAwait(false);
        }
        catch (RejectedResultException) when (_replay is not null)
        {
            ReplayInProcess();
            return;
        }
        if (_replay is not null)
        {
            if (_replay.Length + consumed <= MaxReplay)
                _replay.Write(_buffer, _start, consumed);
            else
                _replay = null;
        }
        _start += consumed;
    }

    private void ReplayInProcess()
    {
        var replay = _replay!;
        _deviceAbandoned = true;
        _inflater ??= InlineInflater.Rent(_inlinePool, _format);
        _inflater.Reset();
        if (_window.Length == 0)
            _window = new byte[Window];
        Unread(replay.GetBuffer().AsMemory(0, (int)replay.Length));
        _replay = null;
        // The served bytes are already in the checksum and the count: inflate them again and drop them (and a primed
        // window the replay starts with).
        _discard = _memberOut - _replayOrigin;
    }

    private int Inflate(Span<byte> destination)
    {
        // The engine carries the member's checksum over what it writes: only the count is left to keep here.
        var result = _inflater!.Run(_buffer.AsSpan(_start, _end - _start), destination, ref _checksum, out int consumed, out int produced);
        _start += consumed;
        _memberOut += produced;
        if (result == InflateStatus.DataError)
            throw new InvalidDataException("The compressed data is corrupt: invalid deflate data.");
        if (result == InflateStatus.StreamEnd)
            _state = _format == DeflateFormat.Deflate ? State.Done : State.Trailer;
        return produced;
    }

    /// <summary>Counts bytes about to be served into the member's checksum and size.</summary>
    private void Account(ReadOnlySpan<byte> served)
    {
        if (served.IsEmpty)
            return;
        _checksum = _format switch
        {
            DeflateFormat.GZip => DeflateChecksum.Crc32(_checksum, served),
            DeflateFormat.ZLib => DeflateChecksum.Adler32(_checksum, served),
            _ => 0,
        };
        _memberOut += served.Length;
    }

    /// <summary>Inflates the primed window (see <see cref="ReadRestSerially"/>) into scratch space and drops it.</summary>
    private void DiscardPrimedWindow()
    {
        uint dropped = 0; // output already in the checksum
        var result = _inflater!.Run(_buffer.AsSpan(_start, _end - _start), _window.AsSpan(0, (int)Math.Min(_discard, _window.Length)), ref dropped, out int consumed, out int produced);
        _start += consumed;
        _discard -= produced;
        if (result != InflateStatus.OutputFull && produced == 0)
            throw new InvalidOperationException("The primed window did not inflate.");
    }

    private async ValueTask ReadHeaderAsync(CancellationToken cancellationToken)
    {
        // Before any member (or between gzip members): no more input ends the stream quietly.
        if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            _state = State.Done;
            return;
        }
        switch (_format)
        {
            case DeflateFormat.Deflate:
                StartBody();
                return;
            case DeflateFormat.ZLib:
                if (!await EnsureAsync(2, cancellationToken).ConfigureAwait(false))
                {
                    Truncated("zlib header");
                    return;
                }
                Framing.CheckZlibHeader(_buffer[_start], _buffer[_start + 1]);
                _start += 2;
                StartBody();
                return;
        }
        if (_atBoundary)
        {
            // After a member: anything but another gzip header is trailing data, ignored as System.IO.Compression does.
            if (_end - _start < 2 && !await EnsureAsync(2, cancellationToken).ConfigureAwait(false)
                || _buffer[_start] != Framing.GzipId1 || _buffer[_start + 1] != Framing.GzipId2)
            {
                IgnoredTrailingData = _start < _end;
                _start = _end;
                _state = State.Done;
                return;
            }
        }
        Framing.GzipHeader header;
        while (!Framing.TryParseGzipHeader(_buffer.AsSpan(_start, _end - _start), out header))
        {
            if (_end - _start >= MaxHeaderBytes)
                throw new InvalidDataException("The gzip header is too long.");
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_atBoundary)
                {
                    // The start of a header after a whole member, cut short: trailing data, as for GZipStream.
                    IgnoredTrailingData = true;
                    _start = _end;
                    _state = State.Done;
                    return;
                }
                Truncated("gzip header");
                return;
            }
        }
        _start += header.Length;
        FirstGzipHeader ??= header;
        _atBoundary = true;
        StartBody();
        if (_pool is null)
            return;
        if (header.BlockSize is >= WarpDriveCompressionOptions.MinChunkSize and <= WarpDriveCompressionOptions.MaxIndependentBlockSize)
            StartBlocks((int)header.BlockSize);
        else if (header.HasIndex && header.IndexedMemberLength >= header.Length + Framing.GzipTrailerLength + 2
            && header.IndexedMemberLength <= MaxIndexedMember && header.IndexedUncompressedLength <= MaxIndexedMember)
            await ReadIndexedMemberAsync(header, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a deflate body: a fresh inflater (or device stream) and a fresh checksum.</summary>
    private void StartBody()
    {
        if (_device is not null && !_deviceAbandoned)
        {
            _device.Reset();
            _replay ??= new MemoryStream();
            _replay.SetLength(0);
        }
        else
        {
            _inflater ??= InlineInflater.Rent(_inlinePool, _format);
            _inflater.Reset();
        }
        _checksum = _format == DeflateFormat.ZLib ? 1u : 0u;
        _memberOut = 0;
        _discard = 0;
        _replayOrigin = 0;
        _state = State.Body;
    }

    private async ValueTask ReadTrailerAsync(CancellationToken cancellationToken)
    {
        int length = _format == DeflateFormat.GZip ? Framing.GzipTrailerLength : Framing.ZlibTrailerLength;
        if (!await EnsureAsync(length, cancellationToken).ConfigureAwait(false))
        {
            Truncated("trailer");
            return;
        }
        var trailer = _buffer.AsSpan(_start, length);
        _start += length;
        if (_format == DeflateFormat.GZip)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(trailer) != _checksum)
                throw new InvalidDataException("The gzip CRC-32 does not match the decompressed data.");
            if (BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) != (uint)_memberOut)
                throw new InvalidDataException("The gzip ISIZE does not match the decompressed length.");
            _state = State.Header;
        }
        else
        {
            if (BinaryPrimitives.ReadUInt32BigEndian(trailer) != _checksum)
                throw new InvalidDataException("The zlib Adler-32 does not match the decompressed data.");
            _state = State.Done;
        }
    }

    private void Truncated(string where)
    {
        _state = State.Done;
        if (_strict)
            throw new InvalidDataException($"The compressed data ends early (truncated {where}).");
    }

    /// <summary>Ensures <paramref name="count"/> bytes are buffered; false when the input ends first.</summary>
    private async ValueTask<bool> EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
                return false;
        }
        return true;
    }

    /// <summary>Reads more input after what is buffered; false at the end of the input.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_eof)
            return false;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            EnsureCapacity(_buffer.Length * 2);
        int asked = _buffer.Length - _end;
        int n = _synchronous
            ? _input.Read(_buffer, _end, asked)
            : await _input.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _lastFillShort = n < asked;
        if (n == 0)
        {
            _eof = true;
            return false;
        }
        _end += n;
        return true;
    }

    /// <summary>Puts <paramref name="parts"/>, in order, in front of the buffered input (to be read again).</summary>
    private void Unread(params ReadOnlySpan<ReadOnlyMemory<byte>> parts)
    {
        int length = _end - _start;
        foreach (var part in parts)
            length += part.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, InputBufferSize));
        int at = 0;
        foreach (var part in parts)
        {
            part.Span.CopyTo(buffer.AsSpan(at));
            at += part.Length;
        }
        _buffer.AsSpan(_start, _end - _start).CopyTo(buffer.AsSpan(at));
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = buffer;
        _start = 0;
        _end = length;
    }

    private void EnsureCapacity(int size)
    {
        if (_buffer.Length >= size)
            return;
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
        _end -= _start;
        _start = 0;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    /// <summary>Waits for members still in flight (the device owns their buffers until then) and frees everything.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        while (_jobs.Count > 0)
        {
            var job = _jobs.Dequeue();
            try
            {
                RequestWaiter.Wait(_pool!, job.Request, job.Pending);
            }
            catch (OperationCanceledException)
            {
                // Never sent; nothing to wait for.
            }
            job.Release();
        }
        _serving?.Release();
        _freeJobs.Clear();
        _serving = null;
        if (_inflater is not null)
            InlineInflater.Return(_inflater);
        _inflater = null;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _start = _end = 0;
    }
}
