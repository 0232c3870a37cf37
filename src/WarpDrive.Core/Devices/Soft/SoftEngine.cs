using System.Diagnostics;

namespace WarpDrive.Devices.Soft;

/// <summary>
/// The in-process soft engine's "hardware": worker threads that fetch SQEs after a doorbell, execute them and
/// post CQEs. Worker 0 polls while work keeps coming and sleeps when idle; the others sleep until a busy worker
/// sees work it will not reach soon, so an idle engine costs nothing and a busy one uses every worker.
/// </summary>
internal sealed class SoftEngine : IDisposable
{
    // How long a worker keeps polling an idle engine before it sleeps.
    private static readonly long PrimaryIdleTicks = Stopwatch.Frequency / 500;   // 2 ms
    private static readonly long HelperIdleTicks = Stopwatch.Frequency / 1000;   // 1 ms: longer than one RSA-2048 request
    private const int MaxClaimBatch = 32;

    private readonly SoftEngineOptions _options;
    private readonly Thread[] _workers;
    private readonly SemaphoreSlim[] _wake;
    private readonly int[] _sleeping;
    private PaddedFlag _primaryBusy; // worker 0 is executing requests; read by every SQ doorbell
    private volatile SoftHardwareQueue[] _queues = [];
    private readonly Lock _queuesLock = new();
    private volatile bool _disposed;

    public SoftEngine(SoftEngineOptions options, SoftFaultInjector faults)
    {
        _options = options;
        Faults = faults;
        int n = options.WorkerCount;
        _workers = new Thread[n];
        _wake = new SemaphoreSlim[n];
        _sleeping = new int[n];
        for (int i = 0; i < n; i++)
        {
            _wake[i] = new SemaphoreSlim(0);
            int id = i;
            _workers[i] = new Thread(() => Run(id)) { IsBackground = true, Name = $"WarpDrive soft engine {id}" };
            _workers[i].Start();
        }
    }

    public SoftFaultInjector Faults { get; }

    public int WorkerCount => _workers.Length;

    public void Add(SoftHardwareQueue queue)
    {
        lock (_queuesLock)
            _queues = [.. _queues, queue];
    }

    public void Remove(SoftHardwareQueue queue)
    {
        lock (_queuesLock)
            _queues = _queues.Where(q => q != queue).ToArray();
        queue.Stop();
    }

    [ThreadStatic]
    private static byte[]? t_callerSqe;

    /// <summary>Called after an SQ doorbell: wakes worker 0 if it sleeps. One interlocked read when it is awake.</summary>
    public void Nudge()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping[0]) != 0)
            Wake(0);
        else if (Volatile.Read(ref _primaryBusy.Value) != 0)
            WakeOneHelper(0); // Worker 0 is inside a request (an RSA one takes ~250 µs): let a helper take this one.
    }

    private void Wake(int id)
    {
        if (Interlocked.Exchange(ref _sleeping[id], 0) != 0)
            _wake[id].Release();
    }

    private void Run(int id)
    {
        Span<int> claimed = stackalloc int[MaxClaimBatch];
        byte[] local = GC.AllocateArray<byte>(256, pinned: true);
        long idleSince = Stopwatch.GetTimestamp();
        long idleLimit = id == 0 ? PrimaryIdleTicks : HelperIdleTicks;
        // Spins, then yields the CPU between polls: on an oversubscribed machine the submitter needs the core.
        var spin = new SpinWait();
        int start = 0;
        bool idleCheck = false; // woken by the periodic check, not by work
        while (!_disposed)
        {
            var queues = _queues;
            bool worked = false;
            for (int k = 0; k < queues.Length; k++)
            {
                var queue = queues[(start + k) % queues.Length];
                if (queue.Backlog == 0 || queue.HeldForCaller || !queue.Enter())
                    continue;
                try
                {
                    worked |= Drain(queue, claimed, local, id);
                }
                finally
                {
                    queue.Exit();
                }
            }
            start++;
            if (worked)
            {
                idleSince = Stopwatch.GetTimestamp();
                spin.Reset();
                idleCheck = false;
                continue;
            }
            // A worker that just woke by its timeout and found nothing sleeps again at once: polling for 2 ms after
            // every 100 ms check took 2 % of a core from callers that run their work in line.
            if (!idleCheck && Stopwatch.GetTimestamp() - idleSince < idleLimit)
            {
                spin.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            idleCheck = !Sleep(id);
            idleSince = Stopwatch.GetTimestamp();
            spin.Reset();
        }
    }

    /// <summary>Sleeps until a nudge (true), or, for worker 0, until its periodic check is due (false).</summary>
    private bool Sleep(int id)
    {
        Volatile.Write(ref _sleeping[id], 1);
        Interlocked.MemoryBarrier();
        // Work announced between our last scan and raising the flag would otherwise wait for the next doorbell.
        foreach (var q in _queues)
        {
            if (q.Backlog != 0 && !q.HeldForCaller)
            {
                Volatile.Write(ref _sleeping[id], 0);
                return true;
            }
        }
        bool woken = _wake[id].Wait(id == 0 ? 100 : Timeout.Infinite);
        Volatile.Write(ref _sleeping[id], 0);
        return woken;
    }

    /// <summary>
    /// Claims a share of the queue's backlog (all of it when this worker is alone; a fair part when others may
    /// help), runs it, posts the CQEs and raises the interrupt once for the batch.
    /// </summary>
    private bool Drain(SoftHardwareQueue queue, Span<int> claimed, byte[] local, int id)
    {
        int done = 0;
        bool helperCalled = false;
        while (done < MaxClaimBatch)
        {
            int backlog = queue.Backlog;
            int share = Math.Clamp(backlog / _workers.Length, 1, claimed.Length);
            int n = queue.TryClaim(share, out int first);
            if (n == 0)
                break;
            // Work waits that this worker will not reach soon (more in this queue, or any in another): bring a
            // sleeping helper in, so queues of different threads run on different cores.
            if (!helperCalled && (backlog > n || OthersWaiting(queue)))
            {
                WakeOneHelper(id);
                helperCalled = true;
            }
            int depth = queue.Layout.SqDepth;
            for (int i = 0; i < n; i++)
                claimed[i] = (first + i) % depth;
            // Reordering completes each claimed batch last-first, as hardware engines running in parallel may.
            bool markBusy = id == 0 && queue.Executor.Lengthy;
            if (markBusy)
                Volatile.Write(ref _primaryBusy.Value, 1);
            for (int i = 0; i < n; i++)
            {
                int slot = _options.ReorderCompletions ? claimed[n - 1 - i] : claimed[i];
                bool completed = Execute(queue, slot, local);
                // Not busy any more before the last CQE shows: the submitter's next doorbell must not wake a helper.
                if (markBusy && i == n - 1)
                    Volatile.Write(ref _primaryBusy.Value, 0);
                if (completed)
                    queue.PostCompletion(slot);
            }
            queue.RaiseInterrupt();
            done += n;
        }
        return done > 0;
    }

    /// <summary>
    /// Runs one request of <paramref name="queue"/> on the calling thread: a synchronous submitter alone on its
    /// queue lends the engine the thread that would otherwise sleep until a worker answered, saving two wake-ups
    /// per request. The request still goes SQ to CQ. False when there is nothing to claim, the queue stopped, or
    /// faults are armed (injected faults stay on the workers, where tests expect them).
    /// </summary>
    public bool RunOnCaller(SoftHardwareQueue queue)
    {
        if (Faults.AnyArmed || queue.Backlog == 0 || !queue.Enter())
        {
            queue.Release(); // the submitter rings again; the workers may take it
            return false;
        }
        try
        {
            int claimed = queue.TryClaim(1, out int first);
            queue.Release();
            if (claimed == 0)
                return false;
            int slot = first % queue.Layout.SqDepth;
            var local = t_callerSqe ??= GC.AllocateArray<byte>(256, pinned: true);
            if (Execute(queue, slot, local))
                queue.PostCompletion(slot);
            queue.RaiseInterrupt();
            return true;
        }
        finally
        {
            queue.Exit();
        }
    }

    private bool OthersWaiting(SoftHardwareQueue current)
    {
        foreach (var queue in _queues)
        {
            if (queue != current && queue.Backlog != 0)
                return true;
        }
        return false;
    }

    private void WakeOneHelper(int self)
    {
        for (int i = 1; i < _sleeping.Length; i++)
        {
            if (i == self)
                continue;
            if (Volatile.Read(ref _sleeping[i]) != 0)
            {
                Wake(i);
                return;
            }
        }
    }

    /// <summary>Runs one SQE in place. False when a fault swallowed it (no completion is posted).</summary>
    private unsafe bool Execute(SoftHardwareQueue queue, int slot, byte[] local)
    {
        var faults = Faults;
        if (faults.ShouldFire(SoftFault.StopWords))
        {
            queue.SetStopWords();
            return false;
        }
        if (faults.ShouldFire(SoftFault.Stall) && queue.StopToken.WaitHandle.WaitOne(faults.StallDuration))
            return false; // The queue was stopped while the request stalled: it is dropped, as a reset drops it.

        var sqe = local.AsSpan(0, queue.Layout.SqeSize);
        queue.Slot(slot).CopyTo(sqe);
        var (region, size) = queue.Region;
        var memory = new SoftAddressSpace(queue.Sva, (byte*)region, size);
        try
        {
            queue.Executor.Execute(sqe, memory, queue.Streams);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or OutOfMemoryException)
        {
            // A codec that fails (a native library misbehaving) answers with an error status, as hardware would,
            // instead of taking the engine thread and the process down with it.
            queue.Executor.Fail(sqe);
        }
        if (faults.ShouldFire(SoftFault.ErrorStatus))
            queue.Executor.Fail(sqe);
        else if (faults.ShouldFire(SoftFault.CorruptResult))
            queue.Executor.Corrupt(sqe, memory);
        sqe.CopyTo(queue.Slot(slot));
        return true;
    }

    public void Dispose()
    {
        _disposed = true;
        for (int i = 0; i < _wake.Length; i++)
        {
            Volatile.Write(ref _sleeping[i], 1);
            Wake(i);
        }
        foreach (var t in _workers)
            t.Join();
        foreach (var w in _wake)
            w.Dispose();
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
    private struct PaddedFlag
    {
        [System.Runtime.InteropServices.FieldOffset(64)] public int Value;
    }
}
