using System.Diagnostics;
using WarpDrive.Queues;
using WarpDrive.Scheduling.Diagnostics;

namespace WarpDrive.Scheduling;

public sealed partial class AcceleratorPool
{
    private static readonly TimeSpan BlockingSlice = TimeSpan.FromMilliseconds(50);
    private int _syncWaiters;
    private static readonly long PollBeforeSleepTicks = Stopwatch.Frequency / 1000;
    private static readonly long LongRequestTicks = Stopwatch.Frequency / 4000;

    /// <summary>Waits for a request sent on <paramref name="lane"/>: drains its lane, then sleeps on the device's interrupt.</summary>
    private void WaitFor(AcceleratorRequest request, Lane lane)
    {
        Interlocked.Increment(ref _syncWaiters);
        try
        {
            WaitForCore(request, lane);
        }
        finally
        {
            Interlocked.Decrement(ref _syncWaiters);
        }
    }

    private void WaitForCore(AcceleratorRequest request, Lane lane)
    {
        var spin = new SpinWait();
        long start = 0; // read once the wait gets as far as the poll budget: most answers come before
        while (!request.IsCompleted)
        {
            if (!lane.TryEnter())
            {
                spin.SpinOnce(sleep1Threshold: -1);
                continue;
            }
            try
            {
                if (lane.Dead || Drain(lane) || request.IsCompleted)
                    continue;
                CheckStalled(lane);
                bool sleepAtOnce = ShouldSleepAtOnce(lane);
                long budget = sleepAtOnce ? 0 : PollBeforeSleepTicks;
                long clock = Stopwatch.GetTimestamp();
                if (start == 0)
                    start = clock;
                if (!lane.Dead && clock - start >= budget && lane.Queue.WaitForCompletion(BlockingSlice, poll: !sleepAtOnce))
                    Drain(lane);
                else
                    spin.SpinOnce(sleep1Threshold: -1);
            }
            catch (AcceleratorException e)
            {
                FailLane(lane, ReasonOf(e), e);
            }
            finally
            {
                lane.Exit();
            }
        }
    }

    /// <summary>
    /// Poll (yielding) before sleeping, as a wake-up costs ~100 µs here; but not when requests run long and the
    /// engine is busy: when other threads wait too (RSA from several callers), or when this lane alone has more
    /// requests queued than there are cores (a compressing stream), a poller would take a core the engine's
    /// workers need, and the answer is not near anyway.
    /// </summary>
    private bool ShouldSleepAtOnce(Lane lane)
    {
        if (lane.LastLatency <= LongRequestTicks)
            return false;
        int cores = Environment.ProcessorCount;
        return Volatile.Read(ref _syncWaiters) * 2 > cores || lane.Outstanding > cores;
    }

    /// <summary>Receives every completion the lane has. Caller holds the lane.</summary>
    private bool Drain(Lane lane)
    {
        if (lane.Outstanding == 0)
            return false;
        bool any = false;
        // One clock read for the whole drain: on a batch it would otherwise cost more than the bookkeeping it times.
        long now = Stopwatch.GetTimestamp();
        // Each completed SQE is read where it lies in the ring: the lane is held, so nothing is sent over it meanwhile.
        while (lane.Outstanding > 0 && lane.Queue.TryReceive(out int slot, out var sqe))
        {
            Complete(lane, slot, sqe, now);
            any = true;
        }
        return any;
    }

    /// <summary>Hands a completed SQE to its request; an error status is re-run in software.</summary>
    private void Complete(Lane lane, int slot, ReadOnlySpan<byte> sqe, long now)
    {
        var request = lane.Pending[slot]
            ?? throw new AcceleratorDeviceException($"{lane.DeviceName} completed slot {slot}, which holds no request.");
        lane.Pending[slot] = null;
        lane.Outstanding--;
        lane.LastProgress = now;
        lane.LastLatency = now - request.StartTimestamp;
        lane.Kicked = false;
        Unstage(lane, request, slot, copyOut: true);
        var format = request.Format;
        bool tagged = format.ReadTag(sqe) == request.Tag;
        if (tagged && !format.Succeeded(sqe) && request.IsStreamMode)
        {
            // A stream's state lives on the device: a re-run elsewhere could not resume it, so its answer stands
            // (for decompression an error status means corrupt data).
            Finish(request, sqe, lane.DeviceName, FallbackReason.None, now);
            return;
        }
        if (!tagged || !format.Succeeded(sqe))
        {
            SchedulingLog.DeviceErrorStatus(_logger, lane.DeviceName);
            RunInSoftware(request, FallbackReason.DeviceError, lane.DeviceName);
            return;
        }
        Finish(request, sqe, lane.DeviceName, FallbackReason.None, now);
    }

    /// <summary>
    /// Re-rings the doorbell of a lane that has made no progress for a timeout (a lost doorbell); after a second
    /// timeout gives the lane up and re-runs its requests in software.
    /// </summary>
    private void CheckStalled(Lane lane)
    {
        if (lane.Outstanding == 0 || Stopwatch.GetElapsedTime(lane.LastProgress) < _options.RequestTimeout)
            return;
        if (!lane.Kicked)
        {
            lane.Kicked = true;
            lane.LastProgress = Stopwatch.GetTimestamp();
            SchedulingLog.Kicked(_logger, lane.DeviceName, _options.RequestTimeout);
            lane.Queue.Kick();
            return;
        }
        FailLane(lane, FallbackReason.Timeout, new TimeoutException($"{lane.DeviceName} made no progress in {_options.RequestTimeout}."));
    }

    /// <summary>
    /// Gives a lane up: closes its queue first (so the device can no longer touch the requests' buffers), then
    /// re-runs every request still in flight in software. Caller holds the lane.
    /// </summary>
    private void FailLane(Lane lane, FallbackReason reason, Exception? exception)
    {
        if (lane.Dead)
            return;
        lane.Dead = true;
        var orphans = new List<AcceleratorRequest>();
        for (int slot = 0; slot < lane.Pending.Length; slot++)
        {
            if (lane.Pending[slot] is { } request)
            {
                Unstage(lane, request, slot, copyOut: false);
                lane.Pending[slot] = null;
                orphans.Add(request);
            }
        }
        lane.Outstanding = 0;
        CloseLane(lane);
        if (exception is not null)
            SchedulingLog.LaneFailed(_logger, exception, lane.DeviceName, reason, orphans.Count);
        foreach (var request in orphans)
            RunInSoftware(request, reason, lane.DeviceName);
    }

    /// <summary>Re-runs the request's original SQE on the inline device on this thread, with process addresses.</summary>
    private void RunInSoftware(AcceleratorRequest request, FallbackReason reason, string fromDevice)
    {
        Span<byte> sqe = stackalloc byte[request.Sqe.Length];
        ExecuteInSoftware(request, sqe);
        _metrics.FellBack(fromDevice, request.Algorithm, reason);
        if (reason is not (FallbackReason.NoSharedMemory or FallbackReason.NoQueue))
            CountFault(fromDevice);
        Finish(request, sqe, "software", reason, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Runs the request's original SQE on the inline device (the in-process engine) on this thread, its (pinned)
    /// buffers at their process addresses; the result lands in <paramref name="sqe"/>.
    /// </summary>
    private void ExecuteInSoftware(AcceleratorRequest request, Span<byte> sqe)
    {
        request.Original.CopyTo(sqe);
        for (int b = 0; b < request.BufferCount; b++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(sqe[request.Buffer(b).Offset..], request.PinnedAddress(b));
        _inline.RunInline(request.Algorithm, request.QueueType, sqe, ref request.InlineStream);
    }

    /// <param name="request">The request.</param>
    /// <param name="sqe">Its completed SQE.</param>
    /// <param name="servedBy">The device that answered, or <c>software</c>.</param>
    /// <param name="reason">Why it ran there, if not where it was sent.</param>
    /// <param name="now">The clock when the answer was taken (one read serves a whole drain).</param>
    private void Finish(AcceleratorRequest request, ReadOnlySpan<byte> sqe, string servedBy, FallbackReason reason, long now)
    {
        bool isAsync = request.IsAsync;
        request.Unpin();
        request.Lane = null;
        if (!request.TryComplete(sqe, servedBy, reason))
            return;
        _metrics.Completed(request, Stopwatch.GetElapsedTime(request.StartTimestamp, now).TotalSeconds);
        if (isAsync)
            Interlocked.Decrement(ref _asyncOutstanding);
    }
}
