using System.Runtime.InteropServices;
using WarpDrive.Drivers.Qm;

namespace WarpDrive.Devices.Soft;

/// <summary>
/// The device side of one soft queue: the DUS and MMIO memory the user driver sees, and the registers the
/// doorbell writes (SQ tail, CQ head, interrupt enable) — what a QM keeps in its SQC/CQC.
/// </summary>
internal sealed unsafe class SoftHardwareQueue : IDisposable
{
    // The MMIO page: large enough for both doorbell formats.
    public const int MmioSize = 0x2000;

    private readonly SoftEngine _engine;
    private readonly SemaphoreSlim _interrupt = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Registers _r;
    private int _stopped;

    /// <summary>
    /// The queue's registers, split by writer onto separate cache lines: the doorbell side (written by the
    /// submitting thread) and the engine side (written by workers), so neither invalidates the other's line.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Registers
    {
        [FieldOffset(64)] public int SqTail;         // last tail an SQ doorbell wrote
        [FieldOffset(68)] public int IrqArmed;       // CQ doorbell with priority 1 seen
        [FieldOffset(72)] public long SqDoorbells;
        [FieldOffset(80)] public int HeldForCaller;  // the last SQ doorbell was quiet: its submitter runs the request
        [FieldOffset(128)] public int FetchHead;     // next SQE the device fetches; workers claim by CAS
        [FieldOffset(136)] public long CqTail;       // CQEs reserved so far (absolute; slot = count % depth)
        [FieldOffset(144)] public int Executing;     // workers inside the queue
    }

    public SoftHardwareQueue(SoftEngine engine, ushort qn, QmDusLayout layout, QmDoorbellFormat format, ISoftExecutor executor, bool sva, SoftStreamTable streams)
    {
        _engine = engine;
        Streams = streams;
        Qn = qn;
        Layout = layout;
        Format = format;
        Executor = executor;
        Sva = sva;
        Dus = (byte*)NativeMemory.AlignedAlloc((nuint)layout.Size, (nuint)layout.PageSize);
        NativeMemory.Clear(Dus, (nuint)layout.Size);
        Mmio = (byte*)NativeMemory.AlignedAlloc(MmioSize, 64);
        NativeMemory.Clear(Mmio, MmioSize);
    }

    public ushort Qn { get; }
    public QmDusLayout Layout { get; }
    public QmDoorbellFormat Format { get; }
    public ISoftExecutor Executor { get; }
    public bool Sva { get; }
    public byte* Dus { get; }
    public byte* Mmio { get; }
    /// <summary>The device's stream state, shared by all its queues.</summary>
    public SoftStreamTable Streams { get; }
    public SemaphoreSlim Interrupt => _interrupt;
    public CancellationToken StopToken => _stop.Token;
    public bool IsStopped => Volatile.Read(ref _stopped) != 0;

    /// <summary>SQ doorbells the device has seen (lost ones excluded): how tests prove batching.</summary>
    public long SqDoorbells => Volatile.Read(ref _r.SqDoorbells);

    /// <summary>The static shared region the engine resolves offsets in (no-SVA mode).</summary>
    public (nint Pointer, long Size) Region { get; set; }

    /// <summary>
    /// True after a quiet doorbell until its submitter has claimed the request or rung again: workers leave the
    /// queue alone meanwhile, so a worker that happens to be polling does not race the submitter for a request it
    /// is about to run itself (the race cost a cross-thread round trip, 3–10× the caller's own run).
    /// </summary>
    public bool HeldForCaller => Volatile.Read(ref _r.HeldForCaller) != 0;

    /// <summary>SQEs the doorbell announced and no worker has fetched yet.</summary>
    public int Backlog => (Volatile.Read(ref _r.SqTail) - Volatile.Read(ref _r.FetchHead) + Layout.SqDepth) % Layout.SqDepth;

    /// <summary>A doorbell write, decoded as the QM does: SQ doorbells move the tail, CQ doorbells the head and interrupt enable.</summary>
    /// <param name="value">The doorbell word.</param>
    /// <param name="wake">False when the submitter runs the request itself: no worker is woken for it.</param>
    public void OnDoorbell(ulong value, bool wake = true)
    {
        *(ulong*)(Mmio + QmDoorbell.Offset(Format)) = value;
        var (qn, cmd, index, priority) = QmDoorbell.Decode(Format, value);
        if (qn != (Qn & (Format == QmDoorbellFormat.V1 ? 0xffff : 0xfff)) || index >= Layout.SqDepth)
            return;
        if (cmd == QmDoorbellCommand.Sq)
        {
            if (_engine.Faults.ShouldFire(SoftFault.DropDoorbell))
                return;
            Interlocked.Increment(ref _r.SqDoorbells);
            // Held before the tail moves: a worker that sees the new tail sees the hold too.
            if (!wake)
                Volatile.Write(ref _r.HeldForCaller, 1);
            Volatile.Write(ref _r.SqTail, index);
            if (wake)
            {
                Volatile.Write(ref _r.HeldForCaller, 0);
                _engine.Nudge();
            }
        }
        else if (cmd == QmDoorbellCommand.Cq && priority == 1)
        {
            Volatile.Write(ref _r.IrqArmed, 1);
        }
    }

    /// <summary>Runs one announced SQE on the calling thread (see <see cref="SoftEngine.RunOnCaller"/>).</summary>
    public bool RunOnCaller() => _engine.RunOnCaller(this);

    /// <summary>Lifts the hold once the submitter has claimed its request (or given up on it).</summary>
    public void Release() => Volatile.Write(ref _r.HeldForCaller, 0);

    /// <summary>Claims up to <paramref name="max"/> announced SQEs for a worker, from slot <paramref name="first"/> on. Returns how many.</summary>
    public int TryClaim(int max, out int first)
    {
        int depth = Layout.SqDepth;
        while (true)
        {
            int head = Volatile.Read(ref _r.FetchHead);
            first = head;
            int available = (Volatile.Read(ref _r.SqTail) - head + depth) % depth;
            if (available == 0 || IsStopped)
                return 0;
            int n = Math.Min(available, max);
            if (Interlocked.CompareExchange(ref _r.FetchHead, (head + n) % depth, head) == head)
                return n;
        }
    }

    /// <summary>Counts a worker in before it claims, so stopping the queue can wait for work already taken.</summary>
    public bool Enter()
    {
        Interlocked.Increment(ref _r.Executing);
        if (!IsStopped)
            return true;
        Exit();
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _r.Executing);

    public Span<byte> Slot(int slot) => new(Dus + (long)slot * Layout.SqeSize, Layout.SqeSize);

    /// <summary>Posts the CQE naming <paramref name="slot"/> with the phase of its CQ position. Call <see cref="RaiseInterrupt"/> after a batch.</summary>
    public void PostCompletion(int slot)
    {
        long index = Interlocked.Increment(ref _r.CqTail) - 1;
        int depth = Layout.CqDepth;
        byte* cqe = Dus + Layout.CqOffset + (index % depth) * QmDusLayout.CqeSize;
        ushort phase = (ushort)(((index / depth) & 1) == 0 ? 1 : 0);
        *(ushort*)(cqe + QmCqe.SqHeadOffset) = (ushort)slot;
        Volatile.Write(ref *(ushort*)(cqe + QmCqe.W7Offset), phase);
    }

    /// <summary>Raises the completion interrupt if a waiter armed it.</summary>
    public void RaiseInterrupt()
    {
        // Pairs with the full fence in QmQueuePair.ArmInterrupt: either the waiter sees our CQEs or we see its arm.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _r.IrqArmed) != 0 && Interlocked.Exchange(ref _r.IrqArmed, 0) != 0)
            _interrupt.Release();
    }

    /// <summary>Sets both stop words, as the kernel does on reset or a CQE error, and wakes any waiter.</summary>
    public void SetStopWords()
    {
        Volatile.Write(ref *(uint*)(Dus + Layout.TxStopOffset), 1);
        Volatile.Write(ref *(uint*)(Dus + Layout.RxStopOffset), 1);
        _interrupt.Release();
    }

    /// <summary>Stops the queue (PUT_Q) and waits until no worker touches it, as the QM drains a queue before freeing it.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        _stop.Cancel();
        var spin = new SpinWait();
        while (Volatile.Read(ref _r.Executing) != 0)
            spin.SpinOnce();
    }

    public void Dispose()
    {
        Stop();
        NativeMemory.AlignedFree(Dus);
        NativeMemory.AlignedFree(Mmio);
        _interrupt.Dispose();
        _stop.Dispose();
    }
}
