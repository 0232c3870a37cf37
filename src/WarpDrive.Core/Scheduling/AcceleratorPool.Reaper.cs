using WarpDrive.Queues;

namespace WarpDrive.Scheduling;

public sealed partial class AcceleratorPool
{
    private readonly SemaphoreSlim _reaperWake = new(0);
    private Thread? _reaper;
    private int _asyncOutstanding;
    private int _reaperSleeping;
    private static readonly long SlowRequestTicks = System.Diagnostics.Stopwatch.Frequency / 500;

    /// <summary>
    /// The reaper completes asynchronous requests: nobody waits on them synchronously, so one thread polls the
    /// lanes while any is outstanding, backing off to 1 ms sleeps (at once, and up to a quarter of their latency,
    /// when every busy lane's requests take 2 ms or more), and sleeps outright when none is.
    /// </summary>
    private void StartReaper()
    {
        _reaper = new Thread(Reap) { IsBackground = true, Name = "WarpDrive completion reaper" };
        _reaper.Start();
    }

    private void WakeReaper()
    {
        if (Volatile.Read(ref _reaperSleeping) != 0 && Interlocked.Exchange(ref _reaperSleeping, 0) != 0)
            _reaperWake.Release();
    }

    private void Reap()
    {
        int idle = 0;
        while (!_disposed)
        {
            if (Volatile.Read(ref _asyncOutstanding) <= 0)
            {
                Volatile.Write(ref _reaperSleeping, 1);
                if (Volatile.Read(ref _asyncOutstanding) <= 0)
                    _reaperWake.Wait(100);
                Volatile.Write(ref _reaperSleeping, 0);
                continue;
            }
            bool any = false;
            long shortest = long.MaxValue;
            foreach (var lane in _lanes)
            {
                if (lane.Outstanding == 0)
                    continue;
                shortest = Math.Min(shortest, lane.LastLatency);
                if (!lane.TryEnter())
                    continue;
                try
                {
                    if (lane.Dead)
                        continue;
                    if (Drain(lane))
                        any = true;
                    else
                        CheckStalled(lane);
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
            idle = any ? 0 : idle + 1;
            if (idle == 0)
                continue;
            // Requests that take milliseconds (compression chunks) lose little to sleeping a quarter of that;
            // spinning, or waking every millisecond, would take CPU from the engine that runs them.
            if (shortest >= SlowRequestTicks)
                Thread.Sleep((int)Math.Clamp(shortest / 4 * 1000 / System.Diagnostics.Stopwatch.Frequency, 1, 5));
            else if (idle < 200)
                Thread.SpinWait(50);
            else if (idle < 400)
                Thread.Yield();
            else
                Thread.Sleep(1);
        }
    }

    private void StopReaper()
    {
        _reaperWake.Release();
        _reaper?.Join();
        _reaperWake.Dispose();
    }
}
