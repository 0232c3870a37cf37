using System.Diagnostics;

namespace WarpDrive.Cli.Measurements;

/// <summary>
/// A spin loop's guard: spins, then yields the core between polls (the engine thread may need it when the
/// machine is busy), and gives up with <see cref="TimeoutException"/> when nothing arrives for seconds.
/// </summary>
internal struct SpinGuard
{
    private static readonly long Limit = Stopwatch.Frequency * 10;
    private SpinWait _spin;
    private int _spins;
    private long _since;

    public void Check(string what)
    {
        _spin.SpinOnce(sleep1Threshold: -1);
        if ((++_spins & 0xffff) != 0)
            return;
        long now = Stopwatch.GetTimestamp();
        if (_since == 0)
            _since = now;
        else if (now - _since > Limit)
            throw new TimeoutException($"{what}: no completion in 10 s.");
    }
}
