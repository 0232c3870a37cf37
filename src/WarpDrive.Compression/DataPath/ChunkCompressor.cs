using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using WarpDrive.Compression.Sinks;
using WarpDrive.Drivers.Qm;
using WarpDrive.Hashing;
using WarpDrive.Queues;
using WarpDrive.Scheduling;

namespace WarpDrive.Compression.DataPath;

/// <summary>
/// The compression pipeline (DESIGN.md, compression data path): input is cut into pooled chunks, each chunk is one
/// stateless ZIP request primed with the previous 32 KiB as dictionary, up to N requests are in flight, and the
/// results are written in order. Chunks end on a sync flush so they form one deflate stream; the last one
/// finishes it. A stream that flushes again and again keeps one compressor instead, in stream mode (see
/// <see cref="SubmitAsync"/>). Software writes headers and trailers, combining per-chunk checksums it computes itself.
/// gzip output is one member whose independent blocks (the dictionary dropped every
/// <see cref="WarpDriveCompressionOptions.IndependentBlockSize"/> bytes) are marked for a parallel reader
/// (<see cref="Framing"/>); or, when asked, one member per block carrying the member index.
/// </summary>
internal sealed class ChunkCompressor : IDisposable
{
    private const int Window = 32 * 1024;
    private const int MaxSharedChunksPerShape = 16; // ~36 MiB of 1 MiB chunks kept at most
    private const int GatherCapacity = 4096;

    // Chunks (pinned buffers plus a reusable request) outlive their stream: the next stream of the same shape takes
    // them, so a server compressing many responses allocates nothing per response in steady state.
    private static readonly ConcurrentDictionary<(int ChunkSize, AcceleratorAlgorithm Algorithm), ChunkShelf> s_shared = new();
    private static readonly ReadOnlyMemory<byte> s_emptyStoredBlock = Framing.EmptyStoredBlock.ToArray();
    private static readonly ReadOnlyMemory<byte> s_emptyFinalBlock = Framing.EmptyFinalBlock.ToArray();

    private readonly CompressedSink _sink;
    private readonly AcceleratorPool _pool;
    private readonly DeflateFormat _format;
    private readonly int _level;
    private readonly int _chunkSize;
    private readonly int _maxInFlight;
    private readonly int _blockSize;
    private readonly bool _markBlocks;
    private readonly bool _multiMember;
    private readonly CompressionVerification _verification;
    private bool? _useDictionary;
    private readonly int _inlineThreshold;
    private bool _submittedAny;
    private readonly AcceleratorAlgorithm _algorithm;
    private readonly ZipRequestType _type;
    private readonly Queue<Chunk> _inFlight = new();
    private readonly Stack<Chunk> _free = new();
    private readonly byte[] _small = new byte[Math.Max(Framing.IndexedGzipHeaderLength, Framing.BlockedGzipHeaderLength)];
    private Chunk? _current;
    private Chunk? _last;
    private bool _started;
    private bool _headerWritten;
    private bool _nameAndTimeWritten; // gzip: they go in the first header only
    private bool _streamOpen;     // chunks sent with a sync flush and no final block yet
    private bool _endsOnSyncFlush; // the last body written ended on a sync flush's empty block: byte-aligned
    private uint _adler = 1;
    private long _blockSubmitted; // gzip: input bytes sent into the open independent block
    private byte[] _memberBody = [];
    private int _memberBodyLength;
    private uint _memberCrc;
    private long _memberInput;     // mod 2^32 is gzip's ISIZE
    private bool _disposed;
    // Small pieces of output (headers, a small body, the final block, the trailer) gather here and leave in one write
    // at a flush, the finish, or before a piece too big to gather: each write to an HTTP response is a chunk, a
    // flush and a TLS record of its own (a 1 KiB response left in four writes; GZipStream's in three).
    private byte[]? _gather;
    private int _gathered;
    private bool _blocksMarked;
    // Stream mode: the request (and context) whose in-process codec carries the stream from one flushed piece to the
    // next, and whether the last piece left it open for the next to continue.
    private StreamLane? _lane;
    private bool _streaming;
    // How the operation in progress waits: set by each entry point (one operation at a time), read where the core
    // waits (WriteAsync, WaitForAsync, the sink's flush). The core is written once; a synchronous operation's
    // completes in line.
    private bool _synchronous;

    public ChunkCompressor(CompressedSink sink, DeflateFormat format, int level, WarpDriveCompressionOptions options)
    {
        options.Validate();
        _sink = sink;
        _format = format;
        _level = level;
        _pool = options.ResolvePool();
        _chunkSize = options.ChunkSize;
        _maxInFlight = options.MaxInFlight;
        _blockSize = format == DeflateFormat.GZip ? options.IndependentBlockSize : int.MaxValue;
        _markBlocks = options.MarkIndependentBlocks;
        _multiMember = format == DeflateFormat.GZip && options.GzipMultiMember;
        _verification = options.Verification;
        _algorithm = format.Algorithm();
        _type = format.RequestType();
        _inlineThreshold = options.InlineThreshold;
    }

    /// <summary>Total input bytes taken.</summary>
    public long TotalIn { get; private set; }

    /// <summary>gzip: the file name for the first header's FNAME, ISO 8859-1 and NUL-terminated, or null.</summary>
    public byte[]? HeaderName { get; set; }

    /// <summary>gzip: the first header's MTIME, seconds since 1970 (0: none).</summary>
    public uint HeaderTime { get; set; }

    /// <summary>Copies as much of <paramref name="data"/> as fits into the current chunk, without blocking.</summary>
    public void Buffer(ref ReadOnlySpan<byte> data)
    {
        var chunk = _current;
        if (chunk is null || chunk.DataLength == chunk.Capacity)
            return;
        int n = Math.Min(chunk.Capacity - chunk.DataLength, data.Length);
        data[..n].CopyTo(chunk.Input.AsSpan(Window + chunk.DataLength));
        chunk.DataLength += n;
        TotalIn += n;
        _started = true;
        data = data[n..];
    }

    /// <summary>
    /// The sink refused a write (a full span, a pipe whose reader completed): the output is incomplete, nothing more
    /// is written, and every operation returns false at once.
    /// </summary>
    public bool OutputRefused { get; private set; }

    /// <summary>Makes room for more input: sends the full chunk, waiting for the oldest request when all are in flight. False: <see cref="OutputRefused"/>.</summary>
    public bool MakeRoom()
    {
        _synchronous = true;
        return Synchronously.Result(MakeRoomCoreAsync(CancellationToken.None));
    }

    /// <inheritdoc cref="MakeRoom" />
    public ValueTask<bool> MakeRoomAsync(CancellationToken cancellationToken)
    {
        _synchronous = false;
        return MakeRoomCoreAsync(cancellationToken);
    }

    /// <summary>Sync flush: sends what is buffered (ending the member in multi-member gzip), writes every result and flushes the sink. False: <see cref="OutputRefused"/>.</summary>
    public bool Flush()
    {
        _synchronous = true;
        return Synchronously.Result(FlushCoreAsync(CancellationToken.None));
    }

    /// <inheritdoc cref="Flush" />
    public ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
    {
        _synchronous = false;
        return FlushCoreAsync(cancellationToken);
    }

    /// <summary>Finishes the stream: the last chunk ends with a final block; trailers follow. Empty input writes nothing. False: <see cref="OutputRefused"/>.</summary>
    public bool Finish()
    {
        _synchronous = true;
        return Synchronously.Result(FinishCoreAsync(CancellationToken.None));
    }

    /// <inheritdoc cref="Finish" />
    public ValueTask<bool> FinishAsync(CancellationToken cancellationToken)
    {
        _synchronous = false;
        return FinishCoreAsync(cancellationToken);
    }

    private async ValueTask<bool> MakeRoomCoreAsync(CancellationToken cancellationToken)
    {
        if (OutputRefused)
            return false;
        if (_current is { } chunk && chunk.DataLength == chunk.Capacity)
        {
            bool endsMember = _multiMember && _blockSubmitted + chunk.DataLength >= _blockSize;
            await SubmitAsync(finish: endsMember, cancellationToken).ConfigureAwait(false);
        }
        if (_current is null)
            await StartChunkAsync(cancellationToken).ConfigureAwait(false);
        return !OutputRefused;
    }

    private async ValueTask<bool> FlushCoreAsync(CancellationToken cancellationToken)
    {
        if (OutputRefused)
            return false;
        if (_current is { DataLength: > 0 })
            await SubmitAsync(finish: _multiMember, cancellationToken, waitsForAll: true).ConfigureAwait(false);
        else if (_multiMember && _streamOpen)
            await SubmitEmptyFinishAsync(cancellationToken).ConfigureAwait(false);
        while (_inFlight.Count > 0)
            await CompleteOldestAsync(cancellationToken).ConfigureAwait(false);
        await EmitGatheredAsync(cancellationToken).ConfigureAwait(false);
        if (!OutputRefused)
            OutputRefused = _synchronous ? !_sink.Flush() : !await _sink.FlushAsync(cancellationToken).ConfigureAwait(false);
        return !OutputRefused;
    }

    private async ValueTask<bool> FinishCoreAsync(CancellationToken cancellationToken)
    {
        if (OutputRefused)
            return false;
        if (_started)
        {
            if (_current is { DataLength: > 0 })
            {
                await SubmitAsync(finish: true, cancellationToken, waitsForAll: true).ConfigureAwait(false);
            }
            else if (_streamOpen)
            {
                while (_inFlight.Count > 0)
                    await CompleteOldestAsync(cancellationToken).ConfigureAwait(false);
                // After a flush the stream sits on a byte boundary: the final block is the two constant bytes of an
                // empty one, no request needed (a responder that flushed after its last write ends this way).
                if (!_multiMember && _endsOnSyncFlush)
                {
                    await WriteAsync(s_emptyFinalBlock, cancellationToken).ConfigureAwait(false);
                    _streamOpen = false;
                }
                else
                {
                    await SubmitEmptyFinishAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        while (_inFlight.Count > 0)
            await CompleteOldestAsync(cancellationToken).ConfigureAwait(false);
        if (_started && _format == DeflateFormat.ZLib)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_small, _adler);
            await WriteAsync(_small.AsMemory(0, 4), cancellationToken).ConfigureAwait(false);
        }
        else if (_started && _format == DeflateFormat.GZip && !_multiMember)
        {
            Framing.WriteGzipTrailer(_small, _memberCrc, (uint)_memberInput);
            await WriteAsync(_small.AsMemory(0, Framing.GzipTrailerLength), cancellationToken).ConfigureAwait(false);
        }
        await EmitGatheredAsync(cancellationToken).ConfigureAwait(false);
        LeaveStream(); // ended by the constant final block after a flush: the stream's compressor has no more to do
        _started = false;
        return !OutputRefused;
    }

    private async ValueTask SubmitEmptyFinishAsync(CancellationToken cancellationToken)
    {
        if (_current is null)
            await StartChunkAsync(cancellationToken).ConfigureAwait(false);
        _current!.DictionaryLength = 0;
        await SubmitAsync(finish: true, cancellationToken, waitsForAll: true).ConfigureAwait(false);
    }

    private async ValueTask StartChunkAsync(CancellationToken cancellationToken)
    {
        Chunk chunk;
        if (_free.Count > 0)
        {
            chunk = _free.Pop();
        }
        else if (_inFlight.Count < _maxInFlight)
        {
            chunk = s_shared.TryGetValue((_chunkSize, _algorithm), out var shelf) && shelf.Chunks.TryTake(out var shared)
                ? shared
                : new Chunk(_chunkSize, _algorithm);
        }
        else
        {
            await CompleteOldestAsync(cancellationToken).ConfigureAwait(false);
            chunk = _free.Pop();
        }
        bool blockStart = _format == DeflateFormat.GZip && _blockSubmitted == 0;
        int dictionary = 0;
        // A piece that will likely continue a stream needs no dictionary: its compressor holds the window. Should it
        // go alone after all (a full chunk, a rejected result), it starts without one: valid deflate, a little larger.
        chunk.Continues = _streaming && !blockStart;
        // The dictionary prefix is a soft-engine extension; devices that would compress it too get independent chunks.
        // Asked only once a second chunk exists: a one-chunk stream never needs the answer.
        if (!blockStart && !chunk.Continues && _last is { } previous && (_useDictionary ??= _pool.Serving(_algorithm).OnlyInProcess))
        {
            // The previous chunk's last 32 KiB (its dictionary and data are contiguous) go right before the data;
            // the previous chunk may be this very buffer, so the copy is a memmove.
            dictionary = Math.Min(Window, previous.DictionaryLength + previous.DataLength);
            previous.Input.AsSpan(Window + previous.DataLength - dictionary, dictionary).CopyTo(chunk.Input.AsSpan(Window - dictionary));
        }
        chunk.DataLength = 0;
        chunk.DictionaryLength = dictionary;
        chunk.Capacity = (int)Math.Min(_chunkSize, _blockSize - _blockSubmitted);
        _current = chunk;
    }

    /// <summary>
    /// Sends the current chunk. A chunk is one stateless request primed with its dictionary, except in a stream that
    /// flushes: from its second flushed piece on, pieces go in stream mode to one compressor that keeps the stream's
    /// window, rather than to a fresh one primed with 32 KiB per piece (ISA-L hashes the dictionary again, 12 % of a
    /// 256 KiB response proxied in 64 KiB flushes; zlib-ng compresses it again, a level-6 response's pieces ran at 0.71×
    /// GZipStream). Stream mode needs the in-process engine (the dictionary exists only there) and a piece that runs in
    /// line, so nothing else is in flight; a full chunk sent without a flush returns the stream to parallel chunks.
    /// </summary>
    /// <param name="finish">The chunk ends the deflate stream (or, multi-member, the member).</param>
    /// <param name="cancellationToken">Honoured before the request is sent.</param>
    /// <param name="waitsForAll">A flush or finish: the caller waits for every result right after.</param>
    private async ValueTask SubmitAsync(bool finish, CancellationToken cancellationToken, bool waitsForAll = false)
    {
        var chunk = _current!;
        _current = null;
        chunk.Finish = finish;
        chunk.EndsBlock = _format == DeflateFormat.GZip && (_multiMember ? finish : _blockSubmitted + chunk.DataLength >= _blockSize);
        // A small chunk that the caller waits for at once, with nothing else in flight (a whole small stream, or a
        // flush or finish after the others completed), runs in line: no queue, no thread hop, nothing to overlap.
        bool inline = (waitsForAll || finish && !_submittedAny) && _inFlight.Count == 0 && chunk.DataLength <= _inlineThreshold;
        bool streamMode = inline && (chunk.Continues ? _streaming : StartsStream(chunk, waitsForAll && !finish));
        if (streamMode)
        {
            var lane = _lane ??= TakeLane();
            Describe(chunk, lane.Request, chunk.DictionaryLength, lane.Context, newStream: !chunk.Continues);
        }
        else
        {
            LeaveStream();
            Describe(chunk, chunk.Request, chunk.DictionaryLength, default, newStream: true);
        }
        _submittedAny = true;
#pragma warning disable CA2012 // Kept until the chunk's turn comes, then awaited exactly once.
        chunk.Pending = inline ? _pool.RunInline(chunk.Sent) : _pool.RunAsync(chunk.Sent, cancellationToken);
#pragma warning restore CA2012
        _streaming = streamMode && !finish;
        _inFlight.Enqueue(chunk);
        _last = chunk;
        _blockSubmitted = chunk.EndsBlock ? 0 : _blockSubmitted + chunk.DataLength;
        _streamOpen = !finish;
        if (_inFlight.Count >= _maxInFlight && _inFlight.Peek().Pending.IsCompleted)
            await CompleteOldestAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a flushed piece starts stream mode: one with a dictionary (so the in-process engine serves, and the
    /// piece is not the stream's first, which starts from nothing on the quick codecs), in a single-member stream whose
    /// output is not checked against its dictionary alone (<see cref="CompressionVerification.Always"/>).
    /// </summary>
    private bool StartsStream(Chunk chunk, bool flushed) =>
        flushed && chunk.DictionaryLength > 0 && !_multiMember && _verification != CompressionVerification.Always;

    /// <summary>
    /// Writes the chunk's request into <paramref name="request"/>: its data after <paramref name="dictionary"/> bytes
    /// of priming, in stream mode when a <paramref name="context"/> is given. A piece that continues a stream carries
    /// the stream's checksum so far and reports it extended (every earlier piece has completed: it runs in line), which
    /// spares combining the checksums (a few hundred nanoseconds, a piece of a small event's cost).
    /// </summary>
    private void Describe(Chunk chunk, AcceleratorRequest request, int dictionary, Memory<byte> context, bool newStream)
    {
        chunk.ChecksumRuns = !context.IsEmpty && !newStream;
        uint checksum = !chunk.ChecksumRuns ? (_format == DeflateFormat.ZLib ? 1u : 0u) : _format == DeflateFormat.ZLib ? _adler : _memberCrc;
        request.Reset();
        _ = new ZipSqe(request.Sqe)
        {
            Layout = ZipSqeLayout.V3,
            WindowCode = ZipSqe.WindowCode32KiB,
            RequestType = _type,
            InputLength = (uint)(dictionary + chunk.DataLength),
            OutputCapacity = (uint)chunk.Output.Length,
            Finish = chunk.Finish,
            StreamMode = !context.IsEmpty,
            NewStream = newStream,
            Checksum = checksum,
            CompressionLevel = _level,
            DictionaryLength = (uint)dictionary,
        };
        request.AttachBuffer(ZipSqe.SourceAddressOffset, chunk.InputMemory.Slice(Window - dictionary, dictionary + chunk.DataLength), BufferAccess.Read);
        request.AttachBuffer(ZipSqe.DestinationAddressOffset, chunk.OutputMemory, BufferAccess.Write);
        if (!context.IsEmpty)
            request.AttachBuffer(ZipSqe.StreamContextAddressOffset, context, BufferAccess.ReadWrite);
        chunk.Sent = request;
        chunk.SentDictionary = dictionary;
    }

    /// <summary>Ends stream mode: the compressor that carried the stream goes back (the next piece, if any, is primed).</summary>
    private void LeaveStream()
    {
        if (!_streaming)
            return;
        _streaming = false;
        _lane!.Request.ReleaseStream();
    }

    private StreamLane TakeLane() =>
        s_shared.TryGetValue((_chunkSize, _algorithm), out var shelf) && shelf.Lanes.TryTake(out var lane) ? lane : new StreamLane(_algorithm);

    private async ValueTask CompleteOldestAsync(CancellationToken cancellationToken)
    {
        var chunk = _inFlight.Dequeue();
        try
        {
            await WaitForAsync(chunk).ConfigureAwait(false);
        }
        finally
        {
            chunk.Pending = default;
        }
        var (produced, checksum) = Result(chunk);
        var body = chunk.Output.AsMemory(0, produced);
        _endsOnSyncFlush = body.Span.EndsWith(Framing.SyncFlushTail);
        switch (_format)
        {
            case DeflateFormat.GZip when _multiMember:
                AppendMember(body.Span);
                _memberCrc = DeflateChecksum.Crc32Combine(_memberCrc, checksum, chunk.DataLength);
                _memberInput += chunk.DataLength;
                if (chunk.EndsBlock)
                    await WriteMemberAsync(cancellationToken).ConfigureAwait(false);
                break;
            case DeflateFormat.GZip:
                if (!_headerWritten)
                {
                    // A stream that ends with its first chunk has one block: nothing to mark. Nor has one whose first
                    // chunk went early, at a flush (a response, a stream of events): the mark is ten bytes on every
                    // such response, and only WarpDrive's reader of a long stream gains from it.
                    bool marked = _markBlocks && !chunk.Finish && chunk.DataLength == chunk.Capacity;
                    _blocksMarked = marked;
                    int length = marked ? Framing.BlockedGzipHeaderLength : Framing.PlainGzipHeaderLength;
                    if (marked)
                        Framing.WriteBlockedGzipHeader(_small, _level, _blockSize);
                    else
                        Framing.WritePlainGzipHeader(_small, _level);
                    await WriteGzipHeaderAsync(length, cancellationToken).ConfigureAwait(false);
                    _headerWritten = true;
                }
                _memberCrc = chunk.ChecksumRuns ? checksum : DeflateChecksum.Crc32Combine(_memberCrc, checksum, chunk.DataLength);
                _memberInput += chunk.DataLength;
                await WriteAsync(body, cancellationToken).ConfigureAwait(false);
                // The next block starts without a dictionary: mark it, where the body ended on a sync flush's empty
                // block as every codec's does (a device that ends otherwise leaves the block unmarked, read serially).
                if (chunk.EndsBlock && !chunk.Finish && _blocksMarked && body.Span.EndsWith(Framing.SyncFlushTail))
                    await WriteAsync(s_emptyStoredBlock, cancellationToken).ConfigureAwait(false);
                break;
            case DeflateFormat.ZLib:
                if (!_headerWritten)
                {
                    Framing.WriteZlibHeader(_small, _level);
                    await WriteAsync(_small.AsMemory(0, 2), cancellationToken).ConfigureAwait(false);
                    _headerWritten = true;
                }
                _adler = chunk.ChecksumRuns ? checksum : DeflateChecksum.Adler32Combine(_adler, checksum, chunk.DataLength);
                await WriteAsync(body, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await WriteAsync(body, cancellationToken).ConfigureAwait(false);
                break;
        }
        _free.Push(chunk);
    }

    /// <summary>
    /// The chunk's deflate body length and its input's checksum: a result that says it did not take the whole
    /// input, or (where verified) does not inflate back to it, is re-run in software. The checksum is the host's
    /// own: taken here over the input for a device's result, read from the result when code in this process
    /// produced it (the in-process engine computed it over the same input, as it compressed).
    /// </summary>
    private (int Produced, uint Checksum) Result(Chunk chunk)
    {
        if (!Acceptable(chunk, out int produced))
        {
            if (chunk.Sent != chunk.Request)
            {
                RerunOnItsOwn(chunk);
            }
            else
            {
                if (!chunk.Request.Succeeded && chunk.Request.Fallback != FallbackReason.None)
                    throw Failed(chunk);  // the pool already re-ran a device error in software, and software failed too
                _pool.RerunRejected(chunk.Request);
            }
            if (!Acceptable(chunk, out produced))
                throw Failed(chunk);
        }
        if (_format == DeflateFormat.Deflate)
            return (produced, 0);
        if (_pool.ServedInProcess(chunk.Sent))
            return (produced, new ZipSqeView(chunk.Sent.Sqe).Checksum);
        var data = chunk.Input.AsSpan(Window, chunk.DataLength);
        return (produced, _format == DeflateFormat.GZip ? DeflateChecksum.Crc32(0, data) : DeflateChecksum.Adler32(1, data));
    }

    /// <summary>
    /// A stream-mode piece whose result failed its check: the stream's state cannot be re-run, so the stream ends and
    /// the piece runs again alone, primed with its dictionary if it has one (a piece that continued the stream has
    /// none: valid deflate, a little larger); the next flushed piece starts a new stream.
    /// </summary>
    private void RerunOnItsOwn(Chunk chunk)
    {
        _pool.CountRejected(chunk.Sent);
        _streaming = false;
        _lane!.Request.ReleaseStream();
        Describe(chunk, chunk.Request, chunk.DictionaryLength, default, newStream: true);
        RequestWaiter.Wait(_pool, chunk.Request, _pool.RunInline(chunk.Request)); // complete already: it ran in line
    }

    private bool Acceptable(Chunk chunk, out int produced)
    {
        var sqe = new ZipSqe(chunk.Sent.Sqe);
        int trailer = !chunk.Finish ? 0 : _format switch { DeflateFormat.GZip => Framing.GzipTrailerLength, DeflateFormat.ZLib => Framing.ZlibTrailerLength, _ => 0 };
        produced = (int)sqe.Produced - trailer;
        if (!chunk.Sent.Succeeded || sqe.Consumed != (uint)(chunk.SentDictionary + chunk.DataLength)
            || produced < 0 || sqe.Produced > (uint)chunk.Output.Length)
            return false;
        bool verify = _verification switch
        {
            CompressionVerification.Always => true,
            CompressionVerification.Never => false,
            _ => !_pool.ServedInProcess(chunk.Sent),
        };
        return !verify || ChunkVerifier.Matches(
            _pool,
            chunk.Input.AsSpan(Window - chunk.DictionaryLength, chunk.DictionaryLength),
            chunk.Output.AsSpan(0, produced),
            chunk.Finish,
            chunk.Input.AsSpan(Window, chunk.DataLength));
    }

    private static IOException Failed(Chunk chunk) => new(
        $"A WarpDrive compress request failed on {chunk.Sent.ServedBy ?? "no device"} (status 0x{(int)new ZipSqe(chunk.Sent.Sqe).Status:x2}), and again in software.");

    private void AppendMember(ReadOnlySpan<byte> body)
    {
        if (_memberBody.Length - _memberBodyLength < body.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_memberBodyLength + body.Length, _memberBody.Length * 2));
            _memberBody.AsSpan(0, _memberBodyLength).CopyTo(bigger);
            if (_memberBody.Length > 0)
                ArrayPool<byte>.Shared.Return(_memberBody);
            _memberBody = bigger;
        }
        body.CopyTo(_memberBody.AsSpan(_memberBodyLength));
        _memberBodyLength += body.Length;
    }

    /// <summary>Writes the gzip header held in <c>_small</c>; the first one also carries the file name and time.</summary>
    private async ValueTask WriteGzipHeaderAsync(int length, CancellationToken cancellationToken)
    {
        var name = _nameAndTimeWritten ? null : HeaderName;
        Framing.StampGzipHeader(_small, _nameAndTimeWritten ? 0 : HeaderTime, name is not null);
        _nameAndTimeWritten = true;
        await WriteAsync(_small.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        if (name is not null)
            await WriteAsync(name, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteMemberAsync(CancellationToken cancellationToken)
    {
        int headerLength;
        if (_markBlocks)
        {
            headerLength = Framing.IndexedGzipHeaderLength;
            int nameLength = _nameAndTimeWritten ? 0 : HeaderName?.Length ?? 0;
            uint total = (uint)(headerLength + nameLength + _memberBodyLength + Framing.GzipTrailerLength);
            Framing.WriteIndexedGzipHeader(_small, _level, total, (uint)_memberInput);
        }
        else
        {
            headerLength = Framing.PlainGzipHeaderLength;
            Framing.WritePlainGzipHeader(_small, _level);
        }
        await WriteGzipHeaderAsync(headerLength, cancellationToken).ConfigureAwait(false);
        await WriteAsync(_memberBody.AsMemory(0, _memberBodyLength), cancellationToken).ConfigureAwait(false);
        Framing.WriteGzipTrailer(_small, _memberCrc, (uint)_memberInput);
        await WriteAsync(_small.AsMemory(0, Framing.GzipTrailerLength), cancellationToken).ConfigureAwait(false);
        _memberBodyLength = 0;
        _memberCrc = 0;
        _memberInput = 0;
    }

    /// <summary>
    /// Writes through the sink, in the operation's way, gathering small pieces (<see cref="EmitGatheredAsync"/> sends
    /// them); once the sink has refused, nothing more is written.
    /// </summary>
    private ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty || OutputRefused)
            return default;
        var gather = _gather ??= ArrayPool<byte>.Shared.Rent(GatherCapacity);
        if (_gathered + data.Length <= gather.Length)
        {
            data.Span.CopyTo(gather.AsSpan(_gathered));
            _gathered += data.Length;
            return default;
        }
        return _gathered == 0 ? WriteToSinkAsync(data, cancellationToken) : EmitThenWriteAsync(data, cancellationToken);
    }

    private async ValueTask EmitThenWriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await EmitGatheredAsync(cancellationToken).ConfigureAwait(false);
        await WriteToSinkAsync(data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the gathered output in one write.</summary>
    private ValueTask EmitGatheredAsync(CancellationToken cancellationToken)
    {
        if (_gathered == 0)
            return default;
        int length = _gathered;
        _gathered = 0;
        return OutputRefused ? default : WriteToSinkAsync(_gather.AsMemory(0, length), cancellationToken);
    }

    private ValueTask WriteToSinkAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!_synchronous)
            return WriteToSinkCoreAsync(data, cancellationToken);
        OutputRefused = !_sink.Write(data.Span);
        return default;
    }

    private async ValueTask WriteToSinkCoreAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        OutputRefused = !await _sink.WriteAsync(data, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Waits for the chunk's request, in the operation's way: a synchronous one drains the queue on this thread
    /// (<see cref="RequestWaiter.Wait"/>), so its core completes before it returns; an asynchronous one awaits.
    /// </summary>
    private ValueTask WaitForAsync(Chunk chunk)
    {
        if (!_synchronous)
            return chunk.Pending;
        RequestWaiter.Wait(_pool, chunk.Sent, chunk.Pending);
        return default;
    }

    /// <summary>Waits for requests still in flight (their buffers belong to the device until then) and frees the buffers.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        while (_inFlight.Count > 0)
        {
            var chunk = _inFlight.Dequeue();
            try
            {
                RequestWaiter.Wait(_pool, chunk.Sent, chunk.Pending);
            }
            catch (OperationCanceledException)
            {
                // Cancelled before it was sent: the device never had its buffers.
            }
            chunk.Pending = default;
            _free.Push(chunk);
        }
        if (_memberBody.Length > 0)
            ArrayPool<byte>.Shared.Return(_memberBody);
        _memberBody = [];
        if (_gather is not null)
            ArrayPool<byte>.Shared.Return(_gather);
        _gather = null;
        _gathered = 0;
        var shelf = s_shared.GetOrAdd((_chunkSize, _algorithm), _ => new ChunkShelf());
        if (_lane is not null)
        {
            _lane.Request.ReleaseStream();
            shelf.Lanes.TryPut(_lane);
            _lane = null;
            _streaming = false;
        }
        if (_current is not null)
            _free.Push(_current);
        foreach (var chunk in _free)
            shelf.Chunks.TryPut(chunk);
        _free.Clear();
        _current = null;
        _last = null;
    }

    /// <summary>Worst-case output of one chunk: zlib-ng's deflate bound with its quick-strategy overhead, plus the flush.</summary>
    public static int MaxChunkOutput(int chunkSize) => chunkSize + (chunkSize >> 3) + (chunkSize >> 6) + 1024;

    /// <summary>Worst-case compressed length of <paramref name="inputLength"/> bytes in <paramref name="format"/>.</summary>
    public static long MaxCompressedLength(long inputLength, DeflateFormat format, int chunkSize, int blockSize)
    {
        long chunks = (inputLength / chunkSize) + 1;
        long bodies = inputLength + (inputLength >> 3) + (inputLength >> 6) + (chunks * 1024);
        return format switch
        {
            // Per block: a member's header and trailer (multi-member), which also covers one block mark.
            DeflateFormat.GZip => bodies + (((inputLength / blockSize) + 2) * (Framing.IndexedGzipHeaderLength + Framing.GzipTrailerLength)),
            DeflateFormat.ZLib => bodies + 2 + Framing.ZlibTrailerLength,
            _ => bodies,
        };
    }

    /// <summary>What streams of one shape leave behind for the next: chunks, and stream-mode lanes.</summary>
    private sealed class ChunkShelf
    {
        public Shelf<Chunk> Chunks { get; } = new();

        public Shelf<StreamLane> Lanes { get; } = new();
    }

    /// <summary>
    /// Items kept between streams, at most <see cref="MaxSharedChunksPerShape"/>. A plain locked stack: taking and
    /// returning are a few instructions under an uncontended lock (a ConcurrentBag's Count freezes the bag).
    /// </summary>
    private sealed class Shelf<T>
        where T : class
    {
        private readonly Lock _lock = new();
        private readonly Stack<T> _items = new();

        public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? item)
        {
            lock (_lock)
                return _items.TryPop(out item);
        }

        public void TryPut(T item)
        {
            lock (_lock)
            {
                if (_items.Count < MaxSharedChunksPerShape)
                    _items.Push(item);
            }
        }
    }

    /// <summary>A stream-mode request and its context buffer: the stream's compressor stays with the request between pieces.</summary>
    private sealed class StreamLane(AcceleratorAlgorithm algorithm)
    {
        private const int ContextLength = 64; // the in-process engine uses 16 bytes

        private readonly byte[] _context = GC.AllocateArray<byte>(ContextLength, pinned: true);

        public AcceleratorRequest Request { get; } = new(algorithm, queueType: 0);

        public Memory<byte> Context => MemoryMarshal.CreateFromPinnedArray(_context, 0, _context.Length);
    }

    private sealed class Chunk(int chunkSize, AcceleratorAlgorithm algorithm)
    {
        public byte[] Input { get; } = GC.AllocateUninitializedArray<byte>(Window + chunkSize, pinned: true);
        // Level 1 (zlib-ng's quick strategy) may spend 9 bits on a byte: n/8 over, plus block and flush overhead.
        public byte[] Output { get; } = GC.AllocateUninitializedArray<byte>(MaxChunkOutput(chunkSize), pinned: true);
        public AcceleratorRequest Request { get; } = new(algorithm, queueType: 0);

        // The buffers live on the pinned object heap; memory that says so pins without a GC handle, whose shared
        // table cost a contended 170 ns per pin with two threads compressing (35 ns alone).
        public Memory<byte> InputMemory => MemoryMarshal.CreateFromPinnedArray(Input, 0, Input.Length);

        public Memory<byte> OutputMemory => MemoryMarshal.CreateFromPinnedArray(Output, 0, Output.Length);

        public int Capacity { get; set; }
        public int DictionaryLength { get; set; }
        public int DataLength { get; set; }
        /// <summary>The request the chunk went on: its own, or the stream lane's in stream mode.</summary>
        public AcceleratorRequest Sent { get; set; } = null!;
        /// <summary>The dictionary bytes that request carried (none for a continuing stream-mode piece).</summary>
        public int SentDictionary { get; set; }
        /// <summary>Started while a stream continued: no dictionary was copied, the stream's compressor holds the window.</summary>
        public bool Continues { get; set; }
        /// <summary>The result's checksum is the stream's so far (a continuing stream-mode piece), not the chunk's own.</summary>
        public bool ChecksumRuns { get; set; }
        public bool Finish { get; set; }
        public bool EndsBlock { get; set; }
        public ValueTask Pending { get; set; }
    }
}
