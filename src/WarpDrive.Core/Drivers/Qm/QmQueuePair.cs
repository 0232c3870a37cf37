using System.Runtime.CompilerServices;
using WarpDrive.Queues;

namespace WarpDrive.Drivers.Qm;

/// <summary>
/// The QM user driver: the SQ/CQ rings of one queue pair over its DUS region, the same code for hardware,
/// the kernel soft engine and the in-process soft engine (spec §3.4).
/// </summary>
/// <remarks>
/// One sending thread and one receiving thread at a time (the caller guarantees it). Slots are released in
/// submission order even when the device completes out of order, so a slot is never reused while the device
/// may still write its results back into it.
/// </remarks>
internal sealed unsafe class QmQueuePair
{
    private readonly byte* _sq;
    private readonly byte* _cq;
    private readonly uint* _rxStop;
    private readonly uint* _txStop;
    private readonly IQmPort _port;
    private readonly QmDoorbellFormat _format;
    private readonly ushort _qn;
    private readonly int _sqeSize;
    private readonly int _depth;

    // Receive side owns these; the send side only reads _oldest.
    private readonly bool[] _completed;
    private int _oldest;
    private int _cqHead;
    private int _expectedPhase = 1;

    // Send side owns _tail. Kept apart from the receive side's fields by the object layout padding below.
    private PaddedInt _tail;

    public QmQueuePair(byte* dus, QmDusLayout layout, QmDoorbellFormat format, ushort qn, IQmPort port)
    {
        layout.Validate();
        _sq = dus;
        _cq = dus + layout.CqOffset;
        _rxStop = (uint*)(dus + layout.RxStopOffset);
        _txStop = (uint*)(dus + layout.TxStopOffset);
        _sqeSize = layout.SqeSize;
        _depth = layout.SqDepth;
        _format = format;
        _qn = qn;
        _port = port;
        _completed = new bool[_depth];
    }

    /// <summary>Ring depth; at most depth − 1 requests are in flight.</summary>
    public int Depth => _depth;

    /// <summary>Bytes per SQE.</summary>
    public int SqeSize => _sqeSize;

    /// <summary>Requests sent and not yet released.</summary>
    public int InFlight => (_tail.Value - Volatile.Read(ref _oldest) + _depth) % _depth;

    /// <summary>The slot the next SQE sent will occupy.</summary>
    public int NextSlot => _tail.Value;

    /// <summary>How many SQEs can be sent now.</summary>
    public int FreeSlots => _depth - 1 - InFlight;

    /// <summary>True when the device set either stop word (reset, FLR, CQ overflow or CQE error).</summary>
    public bool IsStopped => Volatile.Read(ref *_txStop) != 0 || Volatile.Read(ref *_rxStop) != 0;

    /// <summary>Copies whole SQEs into the ring and rings the doorbell once. All or nothing; false when the ring lacks room.</summary>
    /// <param name="sqes">One or more SQEs, back to back.</param>
    /// <param name="firstSlot">The slot of the first SQE; the rest follow, wrapping at the depth.</param>
    public bool TrySend(ReadOnlySpan<byte> sqes, out int firstSlot)
    {
        int count = sqes.Length / _sqeSize;
        if (count == 0 || count * _sqeSize != sqes.Length)
            throw new ArgumentException($"Expected a whole number of {_sqeSize}-byte SQEs.", nameof(sqes));
        firstSlot = _tail.Value;
        if (count > FreeSlots)
            return false;
        ThrowIfTxStopped();
        for (int i = 0; i < count; i++)
            sqes.Slice(i * _sqeSize, _sqeSize).CopyTo(Unsent(i));
        Publish(count);
        return true;
    }

    /// <summary>
    /// The SQ slot <paramref name="index"/> places after the tail, for an SQE written in place (no staging copy);
    /// the device sees it only once <see cref="Publish"/> moves the tail past it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="FreeSlots"/>.</exception>
    public Span<byte> Unsent(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, FreeSlots);
        int slot = (_tail.Value + index) % _depth;
        return new Span<byte>(_sq + (long)slot * _sqeSize, _sqeSize);
    }

    /// <summary>Hands the next <paramref name="count"/> SQEs written with <see cref="Unsent"/> to the device with one doorbell.</summary>
    /// <param name="count">SQEs to publish, at most <see cref="FreeSlots"/>.</param>
    /// <param name="quietly">Ring without waking the device's threads (see <see cref="ICallerRunPort"/>); ignored by other ports.</param>
    /// <exception cref="QueueStoppedException">The device stopped the queue; nothing was published.</exception>
    public void Publish(int count, bool quietly = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, FreeSlots);
        ThrowIfTxStopped();
        int tail = (_tail.Value + count) % _depth;
        _tail.Value = tail;
        // The device must see every SQE byte before it sees the new tail.
        Interlocked.MemoryBarrier();
        ulong doorbell = QmDoorbell.Encode(_format, _qn, QmDoorbellCommand.Sq, (ushort)tail, 0);
        if (quietly && _port is ICallerRunPort callerRun)
            callerRun.RingQuietly(doorbell);
        else
            _port.Ring(doorbell);
    }

    /// <summary>True when the device can run a request on the submitting thread (see <see cref="ICallerRunPort"/>).</summary>
    public bool CanRunOnCaller => _port is ICallerRunPort;

    /// <summary>Runs one published request on the calling thread, if the port can; false when nothing ran.</summary>
    public bool TryRunOnCaller() => _port is ICallerRunPort callerRun && callerRun.TryRunOne();

    private void ThrowIfTxStopped()
    {
        if (Volatile.Read(ref *_txStop) != 0)
            throw new QueueStoppedException("The device stopped the queue (TX stop word set); nothing was sent.");
    }

    /// <summary>Polls the CQ once. On a completion, copies the finished SQE (results included) and releases its slot.</summary>
    /// <param name="sqe">Receives the completed SQE, at least <see cref="SqeSize"/> bytes.</param>
    /// <param name="slot">The slot the device completed.</param>
    /// <param name="armInterrupt">Ring the CQ doorbell with priority 1 so the next completion raises an interrupt.</param>
    public bool TryReceive(Span<byte> sqe, out int slot, bool armInterrupt = false)
    {
        if (!TryReceive(out slot, out var completed, armInterrupt))
            return false;
        completed.CopyTo(sqe);
        return true;
    }

    /// <summary>
    /// Polls the CQ once. On a completion, releases its slot and gives the finished SQE where it lies in the ring,
    /// without a copy: valid until the next <see cref="Unsent"/> or <see cref="TrySend"/> on this queue (nothing
    /// reuses a released slot before then).
    /// </summary>
    public bool TryReceive(out int slot, out ReadOnlySpan<byte> completedSqe, bool armInterrupt = false)
    {
        slot = -1;
        completedSqe = default;
        // Checked before the CQE too: a device that stopped (or a removed one's stand-in pages) may leave CQ
        // bytes that only look valid.
        ThrowIfRxStopped();
        byte* cqe = _cq + (long)_cqHead * QmDusLayout.CqeSize;
        if ((Volatile.Read(ref *(ushort*)(cqe + QmCqe.W7Offset)) & 1) != _expectedPhase)
            return false;
        int j = Unsafe.ReadUnaligned<ushort>(cqe + QmCqe.SqHeadOffset);
        if (j >= _depth)
            throw new AcceleratorDeviceException($"The device completed SQ slot {j}, beyond the ring depth {_depth}.");

        if (++_cqHead == _depth)
        {
            _cqHead = 0;
            _expectedPhase ^= 1;
        }
        Release(j);
        ThrowIfRxStopped();
        Interlocked.MemoryBarrier();
        _port.Ring(QmDoorbell.Encode(_format, _qn, QmDoorbellCommand.Cq, (ushort)_cqHead, armInterrupt ? (byte)1 : (byte)0));
        slot = j;
        completedSqe = new ReadOnlySpan<byte>(_sq + (long)j * _sqeSize, _sqeSize);
        return true;
    }

    /// <summary>True when the device has posted a completion not yet received.</summary>
    /// <exception cref="QueueStoppedException">The device stopped the queue.</exception>
    public bool HasCompletion
    {
        get
        {
            ThrowIfRxStopped();
            byte* cqe = _cq + (long)_cqHead * QmDusLayout.CqeSize;
            return (Volatile.Read(ref *(ushort*)(cqe + QmCqe.W7Offset)) & 1) == _expectedPhase;
        }
    }

    /// <summary>Counts completions the device has posted and nobody has received yet.</summary>
    public int PostedCompletions()
    {
        int inFlight = InFlight, head = _cqHead, phase = _expectedPhase, seen = 0;
        while (seen < inFlight)
        {
            byte* cqe = _cq + (long)head * QmDusLayout.CqeSize;
            if ((Volatile.Read(ref *(ushort*)(cqe + QmCqe.W7Offset)) & 1) != phase)
                break;
            seen++;
            if (++head == _depth)
            {
                head = 0;
                phase ^= 1;
            }
        }
        return seen;
    }

    /// <summary>Asks for an interrupt on the next completion, for a thread about to sleep.</summary>
    public void ArmInterrupt()
    {
        Interlocked.MemoryBarrier();
        _port.Ring(QmDoorbell.Encode(_format, _qn, QmDoorbellCommand.Cq, (ushort)_cqHead, 1));
        Interlocked.MemoryBarrier();
    }

    /// <summary>Re-sends the current SQ tail: recovers a doorbell the device never saw. Idempotent.</summary>
    public void RingAgain()
    {
        Interlocked.MemoryBarrier();
        _port.Ring(QmDoorbell.Encode(_format, _qn, QmDoorbellCommand.Sq, (ushort)_tail.Value, 0));
    }

    private void Release(int slot)
    {
        int oldest = _oldest;
        int inFlight = InFlight;
        int offset = (slot - oldest + _depth) % _depth;
        if (offset >= inFlight || _completed[slot])
            throw new AcceleratorDeviceException($"The device completed SQ slot {slot}, which holds no request in flight.");
        _completed[slot] = true;
        while (_completed[oldest])
        {
            _completed[oldest] = false;
            oldest = oldest + 1 == _depth ? 0 : oldest + 1;
        }
        Volatile.Write(ref _oldest, oldest);
    }

    private void ThrowIfRxStopped()
    {
        if (Volatile.Read(ref *_rxStop) != 0)
            throw new QueueStoppedException("The device stopped the queue (RX stop word set).");
    }

    // Separates the send side's tail from the receive side's fields: they are written by different threads.
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
    private struct PaddedInt
    {
        [System.Runtime.InteropServices.FieldOffset(64)] public int Value;
    }
}
