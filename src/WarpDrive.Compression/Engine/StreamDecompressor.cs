using System.Buffers;
using System.Buffers.Binary;
using WarpDrive.Codecs;
using WarpDrive.Drivers.Qm;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression.Engine;

/// <summary>
/// Streaming, bounded-memory decompression of raw deflate, zlib and (multi-member) gzip. Data without a member
/// index goes to a device as stream-mode requests (<see cref="DeviceStreamInflater"/>) when a hardware or kernel
/// device serves it, or when asked; on the in-process soft engine alone it is inflated in process (zlib-ng),
/// which is what the engine would run anyway, without the round trip. gzip members that carry WarpDrive's member
/// index are read whole and decompressed as stateless ZIP requests, several in flight, served in order.
/// </summary>
internal sealed class StreamDecompressor : IDisposable
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
    private readonly Queue<MemberJob> _jobs = new();
    private readonly Stack<MemberJob> _freeJobs = new();
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InputBufferSize);
    private int _start, _end;
    private bool _eof;
    private State _state = State.Header;
    private bool _atBoundary;
    private IDeflateDecompressor? _inflater;
    private readonly DeviceStreamInflater? _device;
    private uint _checksum;
    private long _memberOut;
    private MemberJob? _serving;
    private int _servingAt;
    private bool _disposed;
    private long _bytesInFlight;

    private enum State { Header, Body, Trailer, Done }

    public StreamDecompressor(Stream input, DeflateFormat format, WarpDriveCompressionOptions options)
    {
        _input = input;
        _format = format;
        _strict = options.ThrowOnTruncatedInput;
        _pool = format == DeflateFormat.GZip && options.ParallelDecompression ? options.ResolvePool() : null;
        _maxInFlight = Math.Max(1, options.MaxInFlight);
        if (UsesRequests(options, format))
            _device = new DeviceStreamInflater(options.ResolvePool(), format);
    }

    /// <summary>Stream-mode requests when asked for, or when a device other than the in-process engine serves the format.</summary>
    private static bool UsesRequests(WarpDriveCompressionOptions options, DeflateFormat format) => options.StreamDecompression switch
    {
        StreamDecompressionMode.Requests => true,
        StreamDecompressionMode.InProcess => false,
        _ => !options.ResolvePool().OnlySoftwareServes(format switch { DeflateFormat.GZip => "gzip", DeflateFormat.ZLib => "zlib", _ => "deflate" }),
    };

    /// <summary>True between gzip members with nothing buffered: a complete stream so far.</summary>
    public bool AtMemberBoundary => _state == State.Header && _atBoundary && _start == _end && _jobs.Count == 0 && _serving is null;

    /// <summary>True once bytes after the last gzip member were skipped as trailing data (gzip warns about them).</summary>
    public bool IgnoredTrailingData { get; private set; }

    private enum Need { None, ServeJob, Header, Fill, Request, Trailer, End }

    /// <summary>Reads decompressed bytes into <paramref name="destination"/>, blocking on the input and the device.</summary>
    public int Read(Span<byte> destination)
    {
        if (destination.IsEmpty)
            return 0;
        while (true)
        {
            int n = Step(destination, out var need);
            if (n > 0)
                return n;
            if (need == Need.End)
                return 0;
            if (need != Need.None)
                SyncPath.Run(PerformAsync(need, useAsync: false, CancellationToken.None));
        }
    }

    /// <summary>Reads decompressed bytes into <paramref name="destination"/>, asynchronously end to end.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty)
            return 0;
        while (true)
        {
            int n = Step(destination.Span, out var need);
            if (n > 0)
                return n;
            if (need == Need.End)
                return 0;
            if (need != Need.None)
                await PerformAsync(need, useAsync: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies the rest of the stream to <paramref name="destination"/>, writing whole decompressed members without a copy.</summary>
    public async ValueTask CopyToAsync(Stream destination, byte[] buffer, bool useAsync, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_serving is { } serving)
            {
                var rest = serving.Output.AsMemory(_servingAt, serving.OutputLength - _servingAt);
                if (useAsync)
                    await destination.WriteAsync(rest, cancellationToken).ConfigureAwait(false);
                else
                    destination.Write(rest.Span);
                serving.Release();
                _freeJobs.Push(serving);
                _serving = null;
                continue;
            }
            int n = useAsync ? await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) : Read(buffer);
            if (n == 0)
                return;
            if (useAsync)
                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            else
                destination.Write(buffer, 0, n);
        }
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
                serving.Release();
                _freeJobs.Push(serving);
                _serving = null;
            }
            return n;
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
            case State.Body when _device is { } device:
                return StepOnDevice(device, destination, out need);
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
            int n = device.Serve(destination);
            _memberOut += n;
            return n;
        }
        if (device.Ended)
        {
            _checksum = device.Checksum;
            _state = _format == DeflateFormat.Deflate ? State.Done : State.Trailer;
            return 0;
        }
        need = _start == _end && !device.OutputPending ? Need.Fill : Need.Request;
        return 0;
    }

    private async ValueTask PerformAsync(Need need, bool useAsync, CancellationToken cancellationToken)
    {
        switch (need)
        {
            case Need.Request:
                _start += await _device!.SendAsync(_buffer.AsMemory(_start, _end - _start), useAsync, cancellationToken).ConfigureAwait(false);
                break;
            case Need.ServeJob:
                await ServeNextJobAsync(useAsync).ConfigureAwait(false);
                break;
            case Need.Header:
                await ReadHeaderAsync(useAsync, cancellationToken).ConfigureAwait(false);
                break;
            case Need.Trailer:
                await ReadTrailerAsync(useAsync, cancellationToken).ConfigureAwait(false);
                break;
            case Need.Fill:
                if (!await FillAsync(useAsync, cancellationToken).ConfigureAwait(false))
                    Truncated("deflate data");
                break;
        }
    }

    private int Inflate(Span<byte> destination)
    {
        var result = _inflater!.Run(_buffer.AsSpan(_start, _end - _start), destination, finish: false, out int consumed, out int produced);
        _start += consumed;
        if (produced > 0)
        {
            var data = destination[..produced];
            _checksum = _format switch
            {
                DeflateFormat.GZip => Checksum.Crc32(_checksum, data),
                DeflateFormat.ZLib => Checksum.Adler32(_checksum, data),
                _ => 0,
            };
            _memberOut += produced;
        }
        if (result == CodecResult.DataError)
            throw new InvalidDataException("The compressed data is corrupt: invalid deflate data.");
        if (result == CodecResult.StreamEnd)
            _state = _format == DeflateFormat.Deflate ? State.Done : State.Trailer;
        return produced;
    }

    private async ValueTask ReadHeaderAsync(bool useAsync, CancellationToken cancellationToken)
    {
        // Before any member (or between gzip members): no more input ends the stream quietly.
        if (_start == _end && !await FillAsync(useAsync, cancellationToken).ConfigureAwait(false))
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
                if (!await EnsureAsync(2, useAsync, cancellationToken).ConfigureAwait(false))
                {
                    Truncated("zlib header");
                    return;
                }
                Framing.CheckZlibHeader(_buffer[_start], _buffer[_start + 1]);
                _start += 2;
                StartBody();
                _checksum = 1;
                return;
        }
        if (_atBoundary)
        {
            // After a member: anything but another gzip header is trailing data, ignored as System.IO.Compression does.
            if (_end - _start < 2 && !await EnsureAsync(2, useAsync, cancellationToken).ConfigureAwait(false)
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
            if (!await FillAsync(useAsync, cancellationToken).ConfigureAwait(false))
            {
                Truncated("gzip header");
                return;
            }
        }
        _start += header.Length;
        _atBoundary = true;
        if (_pool is not null && header.HasIndex
            && header.IndexedMemberLength >= header.Length + Framing.GzipTrailerLength + 2
            && header.IndexedMemberLength <= MaxIndexedMember && header.IndexedUncompressedLength <= MaxIndexedMember)
        {
            await ReadIndexedMemberAsync(header, useAsync, cancellationToken).ConfigureAwait(false);
            return;
        }
        StartBody();
    }

    private void StartBody()
    {
        if (_device is not null)
            _device.Reset();
        else if (_inflater is null)
            _inflater = DeflateEngines.CreateDecompressor();
        else
            _inflater.Reset();
        _checksum = 0;
        _memberOut = 0;
        _state = State.Body;
    }

    private async ValueTask ReadTrailerAsync(bool useAsync, CancellationToken cancellationToken)
    {
        int length = _format == DeflateFormat.GZip ? Framing.GzipTrailerLength : Framing.ZlibTrailerLength;
        if (!await EnsureAsync(length, useAsync, cancellationToken).ConfigureAwait(false))
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

    /// <summary>Reads a whole indexed member and sends it as one stateless decompress request.</summary>
    private async ValueTask ReadIndexedMemberAsync(Framing.GzipHeader header, bool useAsync, CancellationToken cancellationToken)
    {
        int length = (int)header.IndexedMemberLength - header.Length;
        var job = _freeJobs.Count > 0 ? _freeJobs.Pop() : new MemberJob();
        job.Input = ArrayPool<byte>.Shared.Rent(length);
        int have = 0;
        // Through the input buffer rather than straight into the job: a read that runs past the member leaves the
        // next header buffered, so Step can tell a source that has more (read on, more members in flight) from one
        // that has paused at a member boundary (serve what is decoded before blocking on it).
        while (have < length)
        {
            if (_start == _end && !await FillAsync(useAsync, cancellationToken).ConfigureAwait(false))
                break;
            int take = Math.Min(length - have, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(job.Input.AsSpan(have));
            _start += take;
            have += take;
        }
        if (have < length)
        {
            // Cut short: hand the bytes to the streaming inflater, which reports the truncation as it should.
            _eof = true;
            EnsureCapacity(have);
            job.Input.AsSpan(0, have).CopyTo(_buffer);
            _start = 0;
            _end = have;
            job.Release();
            _freeJobs.Push(job);
            StartBody();
            return;
        }
        var trailer = job.Input.AsSpan(length - Framing.GzipTrailerLength, Framing.GzipTrailerLength);
        job.ExpectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (size != header.IndexedUncompressedLength)
        {
            job.Release();
            throw new InvalidDataException("The gzip member index disagrees with the member's ISIZE.");
        }
        job.BodyLength = length - Framing.GzipTrailerLength;
        job.OutputLength = (int)size;
        job.Output = ArrayPool<byte>.Shared.Rent(Math.Max(1, job.OutputLength));
        var request = job.Request;
        request.Reset();
        _ = new ZipSqe(request.Sqe)
        {
            Layout = ZipSqeLayout.V3,
            RequestType = ZipRequestType.Gzip,
            InputLength = (uint)job.BodyLength,
            OutputCapacity = (uint)job.OutputLength,
            NewStream = true,
            Finish = true,
        };
        request.AttachBuffer(ZipSqe.SourceAddressOffset, job.Input.AsMemory(0, job.BodyLength), BufferAccess.Read);
        request.AttachBuffer(ZipSqe.DestinationAddressOffset, job.Output.AsMemory(0, job.OutputLength), BufferAccess.Write);
#pragma warning disable CA2012 // Kept until the member's turn comes, then awaited exactly once.
        job.Pending = _pool!.RunAsync(request, cancellationToken);
#pragma warning restore CA2012
        job.InFlight = true;
        _bytesInFlight += length + job.OutputLength;
        _jobs.Enqueue(job);
        _state = State.Header;
    }

    private async ValueTask ServeNextJobAsync(bool useAsync)
    {
        var job = _jobs.Dequeue();
        _bytesInFlight -= job.BodyLength + Framing.GzipTrailerLength + job.OutputLength;
        try
        {
            await RequestWaiter.WaitAsync(_pool!, job.Request, job.Pending, useAsync).ConfigureAwait(false);
        }
        finally
        {
            job.InFlight = false;
            job.Pending = default;
        }
        if (!Check(job))
        {
            job.Release();
            _freeJobs.Push(job);
            throw new InvalidDataException("The compressed data is corrupt: a gzip member failed to decompress or its CRC-32 does not match.");
        }
        _serving = job;
        _servingAt = 0;
    }

    private static bool Check(MemberJob job)
    {
        var sqe = new ZipSqe(job.Request.Sqe);
        return job.Request.Succeeded && sqe.Status == ZipStatus.DecompressEnd && sqe.Produced == (uint)job.OutputLength
            && sqe.Consumed == (uint)job.BodyLength && sqe.Checksum == job.ExpectedCrc;
    }

    private void Truncated(string where)
    {
        _state = State.Done;
        if (_strict)
            throw new InvalidDataException($"The compressed data ends early (truncated {where}).");
    }

    /// <summary>Ensures <paramref name="count"/> bytes are buffered; false when the input ends first.</summary>
    private async ValueTask<bool> EnsureAsync(int count, bool useAsync, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            if (!await FillAsync(useAsync, cancellationToken).ConfigureAwait(false))
                return false;
        }
        return true;
    }

    /// <summary>Reads more input after what is buffered; false at the end of the input.</summary>
    private async ValueTask<bool> FillAsync(bool useAsync, CancellationToken cancellationToken)
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
        int n = useAsync
            ? await _input.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false)
            : _input.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _eof = true;
            return false;
        }
        _end += n;
        return true;
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
                SyncPath.Run(RequestWaiter.WaitAsync(_pool!, job.Request, job.Pending, useAsync: false));
            }
            catch (OperationCanceledException)
            {
                // Never sent; nothing to wait for.
            }
            job.Release();
        }
        _serving?.Release();
        _serving = null;
        _inflater?.Dispose();
        _inflater = null;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _start = _end = 0;
    }

    private sealed class MemberJob
    {
        public AcceleratorRequest Request { get; } = new("gzip", queueType: 1);
        public byte[]? Input { get; set; }
        public byte[] Output { get; set; } = [];
        public int BodyLength { get; set; }
        public int OutputLength { get; set; }
        public uint ExpectedCrc { get; set; }
        public ValueTask Pending { get; set; }
        public bool InFlight { get; set; }

        public void Release()
        {
            if (Input is not null)
                ArrayPool<byte>.Shared.Return(Input);
            if (Output.Length > 0)
                ArrayPool<byte>.Shared.Return(Output);
            Input = null;
            Output = [];
        }
    }
}
