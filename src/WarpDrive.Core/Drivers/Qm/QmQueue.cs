using System.Diagnostics;
using WarpDrive.Memory;
using WarpDrive.Queues;

namespace WarpDrive.Drivers.Qm;

/// <summary>
/// The queue contract over a <see cref="QmQueuePair"/>: hardware and soft queues differ only in how they are
/// opened and closed and in their <see cref="IQmPort"/>.
/// </summary>
internal abstract class QmQueue : IRingQueue
{
    // About 50 µs of polling before a thread sleeps: a wake-up across CPUs costs ~100 µs (MEASUREMENTS.md).
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;

    private QmQueuePair? _pair;
    private IQmPort? _port;

    /// <summary>Creates the queue; <see cref="Attach"/> wires the rings once the device is set up.</summary>
    private protected QmQueue(AcceleratorDeviceInfo device, AcceleratorAlgorithm algorithm, int queueType)
    {
        Device = device;
        Algorithm = algorithm;
        QueueType = queueType;
    }

    private protected void Attach(QmQueuePair pair, IQmPort port)
    {
        _pair = pair;
        _port = port;
    }

    /// <inheritdoc />
    public AcceleratorDeviceInfo Device { get; }
    /// <inheritdoc />
    public AcceleratorAlgorithm Algorithm { get; }
    /// <inheritdoc />
    public int QueueType { get; }
    /// <inheritdoc />
    public int SqeSize => Pair.SqeSize;
    /// <inheritdoc />
    public int Depth => Pair.Depth;
    /// <inheritdoc />
    public int InFlight => Pair.InFlight;

    /// <summary>The slot the next SQE sent will occupy (so a request can be registered before the device can finish it).</summary>
    public int NextSlot => Pair.NextSlot;

    /// <summary>SQEs that can be sent now.</summary>
    public int FreeSlots => Pair.FreeSlots;

    /// <summary>True when the device has stopped this queue.</summary>
    public bool IsStopped => Pair.IsStopped;

    /// <summary>True once the queue was disposed.</summary>
    protected bool IsDisposed { get; private set; }

    private QmQueuePair Pair
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            ThrowIfUnusable();
            return _pair!;
        }
    }

    /// <summary>Throws when the device behind the queue is gone (hardware queues check the zombie state here).</summary>
    private protected virtual void ThrowIfUnusable() { }

    /// <inheritdoc />
    public bool TrySend(ReadOnlySpan<byte> sqes) => Pair.TrySend(sqes, out _);

    /// <summary>An SQ slot to write the <paramref name="index"/>-th next SQE in place (see <see cref="QmQueuePair.Unsent"/>).</summary>
    public Span<byte> Unsent(int index) => Pair.Unsent(index);

    /// <summary>Hands SQEs written in place to the device with one doorbell (see <see cref="QmQueuePair.Publish"/>).</summary>
    public void Publish(int count, bool quietly = false) => Pair.Publish(count, quietly);

    /// <inheritdoc />
    public bool TryReceive(Span<byte> completedSqe) => Pair.TryReceive(completedSqe, out _);

    /// <summary>Polls once; a completed SQE is given where it lies in the ring (see <see cref="QmQueuePair.TryReceive(out int, out ReadOnlySpan{byte}, bool)"/>).</summary>
    public bool TryReceive(out int slot, out ReadOnlySpan<byte> completedSqe) => Pair.TryReceive(out slot, out completedSqe);

    /// <inheritdoc />
    public void Receive(Span<byte> completedSqe, TimeSpan timeout)
    {
        // One receiver at a time: a completion seen posted is still there to be received.
        if (!WaitForCompletion(timeout) || !Pair.TryReceive(completedSqe, out _))
            throw new TimeoutException($"No completion from {Device.Name} within {timeout}.");
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> until a completion is posted, leaving it to be received: polls briefly
    /// (unless <paramref name="poll"/> is false), then sleeps on the device's interrupt.
    /// </summary>
    public bool WaitForCompletion(TimeSpan timeout, bool poll = true)
    {
        var pair = Pair;
        long start = Stopwatch.GetTimestamp();
        if (poll)
        {
            var spin = new SpinWait();
            do
            {
                if (pair.HasCompletion)
                    return true;
                spin.SpinOnce(sleep1Threshold: -1);
            }
            while (Stopwatch.GetTimestamp() - start < SpinTicks);
        }
        while (true)
        {
            pair.ArmInterrupt();
            if (pair.HasCompletion)
                return true;
            var left = timeout - Stopwatch.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
                return false;
            _port!.WaitForCompletion(left);
            ThrowIfUnusable();
        }
    }

    /// <inheritdoc />
    public async ValueTask ReceiveAsync(Memory<byte> completedSqe, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var pair = Pair;
        long start = Stopwatch.GetTimestamp();
        if (Poll(pair, completedSqe.Span, out _))
            return;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            pair.ArmInterrupt();
            if (pair.TryReceive(completedSqe.Span, out _))
                return;
            var left = timeout - Stopwatch.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"No completion from {Device.Name} within {timeout}.");
            await _port!.WaitForCompletionAsync(left, cancellationToken).ConfigureAwait(false);
            ThrowIfUnusable();
        }
    }

    /// <summary>Polls the CQ for a short while before a waiter sleeps: sleeping and waking cost more than a short wait.</summary>
    private static bool Poll(QmQueuePair pair, Span<byte> completedSqe, out int slot)
    {
        long start = Stopwatch.GetTimestamp();
        var spin = new SpinWait();
        do
        {
            if (pair.TryReceive(completedSqe, out slot))
                return true;
            spin.SpinOnce(sleep1Threshold: -1);
        }
        while (Stopwatch.GetTimestamp() - start < SpinTicks);
        return false;
    }

    /// <inheritdoc />
    public void Flush(TimeSpan timeout)
    {
        var pair = Pair;
        long start = Stopwatch.GetTimestamp();
        var spin = new SpinWait();
        while (pair.PostedCompletions() < pair.InFlight)
        {
            if (pair.IsStopped)
                throw new QueueStoppedException($"{Device.Name} stopped the queue before it finished.");
            if (Stopwatch.GetElapsedTime(start) > timeout)
                throw new TimeoutException($"{Device.Name} did not finish {pair.InFlight} requests within {timeout}.");
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <inheritdoc />
    public void Kick() => Pair.RingAgain();

    /// <summary>True when the device can run a request on the submitting thread (its port is an <see cref="ICallerRunPort"/>).</summary>
    public bool CanRunOnCaller => Pair.CanRunOnCaller;

    /// <summary>Runs one queued request on the calling thread, if the device can; false when it did not.</summary>
    public bool TryRunOnCaller() => Pair.TryRunOnCaller();

    /// <inheritdoc />
    public abstract SharedRegion ReserveMemory(long size);

    /// <summary>Tears the queue down.</summary>
    protected virtual void Dispose(bool disposing) => IsDisposed = true;

    /// <inheritdoc />
    public void Dispose()
    {
        if (IsDisposed)
            return;
        Dispose(true);
        GC.SuppressFinalize(this);
    }
}
