using System.Buffers;
using System.Threading.Tasks.Sources;
using WarpDrive.Drivers.Qm;
using WarpDrive.Queues;

namespace WarpDrive.Scheduling;

/// <summary>How the device may touch a buffer a request points at.</summary>
public enum BufferAccess
{
    /// <summary>The device reads it (staged in before the request on no-SVA devices).</summary>
    Read = 1,
    /// <summary>The device writes it (copied out after the request on no-SVA devices).</summary>
    Write = 2,
    /// <summary>Both.</summary>
    ReadWrite = Read | Write,
}

/// <summary>Why a request did not run where the pool first sent it.</summary>
public enum FallbackReason
{
    /// <summary>It ran where it was sent.</summary>
    None = 0,
    /// <summary>No queue could be opened for the algorithm.</summary>
    NoQueue,
    /// <summary>The device answered with an error status; software re-ran it.</summary>
    DeviceError,
    /// <summary>The device stopped the queue (stop words).</summary>
    QueueStopped,
    /// <summary>The device was removed.</summary>
    DeviceRemoved,
    /// <summary>The device did not answer in time.</summary>
    Timeout,
    /// <summary>The request's buffers did not fit the queue's shared region.</summary>
    NoSharedMemory,
    /// <summary>The device's result failed a check on the host (it answered wrongly); software re-ran it.</summary>
    ResultRejected,
}

/// <summary>
/// One request for the <see cref="AcceleratorPool"/>: an SQE plus the buffers its address fields point at.
/// Reusable: after it completes, fill it again and run it again, so steady-state work allocates nothing.
/// </summary>
/// <remarks>
/// The SQE is written with <see cref="ZipSqe"/> or <see cref="HpreSqe"/>, leaving the address fields to the pool:
/// <see cref="AttachBuffer"/> names each one, and the pool fills in a process pointer (SVA devices) or an offset
/// into the queue's shared region after staging the bytes (devices without SVA). After completion
/// <see cref="Sqe"/> holds the device's results.
/// </remarks>
public sealed class AcceleratorRequest : IValueTaskSource
{
    private const int MaxBuffers = 4;

    private readonly (int Offset, Memory<byte> Buffer, BufferAccess Access)[] _buffers = new (int, Memory<byte>, BufferAccess)[MaxBuffers];
    private readonly MemoryHandle[] _pins = new MemoryHandle[MaxBuffers];
    // The request stays as the caller wrote it while the device works on its own copy in the ring, so a re-run
    // (after an error, a failed lane or a rejected result) needs no copy taken up front; the device's answer
    // lands in _result.
    private readonly byte[] _request;
    private readonly byte[] _result;
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    // Completing: one completer is copying the result in; nobody else may complete or reuse the request meanwhile.
    private const int Idle = 0, InFlight = 1, Completed = 2, Completing = 3;
    private int _state = Idle;

    /// <summary>Creates a request for <paramref name="algorithm"/> on queues of type <paramref name="queueType"/>.</summary>
    public AcceleratorRequest(AcceleratorAlgorithm algorithm, int queueType = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(algorithm.Name, nameof(algorithm));
        Algorithm = algorithm;
        QueueType = queueType;
        Format = SqeFormat.For(algorithm);
        _request = new byte[Format.Size];
        _result = new byte[Format.Size];
    }

    /// <summary>The algorithm, which picks the queue.</summary>
    public AcceleratorAlgorithm Algorithm { get; }

    /// <summary>The queue type (ZIP: 0 compress, 1 decompress).</summary>
    public int QueueType { get; }

    /// <summary>The SQE: the request before it runs, the device's results after.</summary>
    public byte[] Sqe => Volatile.Read(ref _state) == Completed ? _result : _request;

    /// <summary>The wire format of the request's SQE, chosen from the algorithm.</summary>
    internal SqeFormat Format { get; }

    /// <summary>Name of the device that produced the result, or <c>software</c>.</summary>
    public string? ServedBy { get; internal set; }

    /// <summary>Why the request fell back, if it did.</summary>
    public FallbackReason Fallback { get; internal set; }

    /// <summary>True when the completed SQE reports success.</summary>
    public bool Succeeded => Format.Succeeded(Sqe);

    internal int BufferCount { get; private set; }
    internal ref (int Offset, Memory<byte> Buffer, BufferAccess Access) Buffer(int i) => ref _buffers[i];
    /// <summary>The request as the caller wrote it, also after completion (what a software re-run executes).</summary>
    internal ReadOnlySpan<byte> Original => _request;

    /// <summary>True when the request continues a stream held by the device it runs on.</summary>
    internal bool IsStreamMode => Format.IsStreamMode(_request);
    internal long StartTimestamp { get; set; }
    internal uint Tag { get; set; }
    internal bool IsAsync { get; set; }
    /// <summary>The lane the request was sent on, while it is in flight there (null: running or ran in software).</summary>
    internal Lane? Lane { get; set; }
    internal bool IsCompleted => Volatile.Read(ref _state) == Completed;

    /// <summary>The stream state a device running this request in line keeps with it (<see cref="AcceleratorPool.RunInline"/>).</summary>
    internal IDisposable? InlineStream;

    /// <summary>
    /// Frees what a device keeps for this request's stream outside the stream context buffer: the in-process
    /// engine's codec when the stream ran in line. A stream that reaches its end needs no call; one abandoned
    /// midway does (a device that keeps its state in the context buffer keeps nothing else).
    /// </summary>
    /// <exception cref="InvalidOperationException">The request is in flight.</exception>
    public void ReleaseStream()
    {
        ThrowIfInFlight();
        InlineStream?.Dispose();
        InlineStream = null;
    }

    /// <summary>Points the SQE address field at byte offset <paramref name="addressOffset"/> to <paramref name="buffer"/>.</summary>
    /// <exception cref="InvalidOperationException">The request is in flight, or already has four buffers.</exception>
    public void AttachBuffer(int addressOffset, Memory<byte> buffer, BufferAccess access)
    {
        ThrowIfInFlight();
        if (BufferCount == MaxBuffers)
            throw new InvalidOperationException($"A request points at {MaxBuffers} buffers at most.");
        ArgumentOutOfRangeException.ThrowIfNegative(addressOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(addressOffset, Format.Size - sizeof(ulong));
        _buffers[BufferCount++] = (addressOffset, buffer, access);
    }

    /// <summary>Forgets the buffers and clears the SQE, ready to describe a new request.</summary>
    public void Reset()
    {
        ThrowIfInFlight();
        Array.Clear(_buffers);
        BufferCount = 0;
        Array.Clear(_request);
        ServedBy = null;
        Fallback = FallbackReason.None;
        Volatile.Write(ref _state, Idle);
    }

    /// <summary>Marks the request in flight.</summary>
    internal void Begin()
    {
        int previous = Interlocked.CompareExchange(ref _state, InFlight, Idle);
        if (previous == Completed)
            previous = Interlocked.CompareExchange(ref _state, InFlight, Completed);
        if (previous is InFlight or Completing)
            throw new InvalidOperationException("The request is already in flight.");
        // Run again without a Reset: the caller edited the completed SQE (the results), which is the new request.
        if (previous == Completed)
            _result.CopyTo(_request, 0);
        ServedBy = null;
        Fallback = FallbackReason.None;
        Lane = null;
        _core.Reset();
    }

    /// <summary>Pins every buffer, so its address can go into an SQE.</summary>
    internal unsafe void Pin()
    {
        for (int i = 0; i < BufferCount; i++)
            _pins[i] = _buffers[i].Buffer.Pin();
    }

    internal unsafe ulong PinnedAddress(int i) => (ulong)_pins[i].Pointer;

    internal void Unpin()
    {
        for (int i = 0; i < BufferCount; i++)
        {
            _pins[i].Dispose();
            _pins[i] = default;
        }
    }

    /// <summary>Completes the request once; a second completion (a late answer after a re-run) is ignored.</summary>
    internal bool TryComplete(ReadOnlySpan<byte> result, string servedBy, FallbackReason fallback)
    {
        if (Interlocked.CompareExchange(ref _state, Completing, InFlight) != InFlight)
            return false;
        result.CopyTo(_result);
        Volatile.Write(ref _state, Completed);
        ServedBy = servedBy;
        Fallback = fallback;
        _core.SetResult(true);
        return true;
    }

    internal void ThrowIfInFlight()
    {
        if (Volatile.Read(ref _state) is InFlight or Completing)
            throw new InvalidOperationException("The request is in flight.");
    }

    internal ValueTask AsValueTask() => new(this, _core.Version);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
