namespace WarpDrive.Devices.Soft;

/// <summary>Faults the in-process soft engine can inject, each a hardware failure class the driver must survive.</summary>
internal enum SoftFault
{
    /// <summary>The request completes with an error status (ZIP status 0x22, an engine fault / HPRE etype 1).</summary>
    ErrorStatus,
    /// <summary>The request is held (not completed) for <see cref="SoftFaultInjector.StallDuration"/> or until the queue stops.</summary>
    Stall,
    /// <summary>The device sets both stop words, as on reset or a CQE error; the request is not completed.</summary>
    StopWords,
    /// <summary>An SQ doorbell is lost: the device does not see the new tail until the next doorbell.</summary>
    DropDoorbell,
    /// <summary>The result is computed, then one output byte is flipped: a device that answers wrongly.</summary>
    CorruptResult,
}

/// <summary>
/// Arms faults on a soft device: a fixed number of upcoming events, or a seeded random rate. Thread-safe; each
/// armed fault fires exactly once per count.
/// </summary>
internal sealed class SoftFaultInjector
{
    private readonly int[] _pending = new int[Enum.GetValues<SoftFault>().Length];
    private readonly double[] _rate = new double[Enum.GetValues<SoftFault>().Length];
    private readonly int[] _fired = new int[Enum.GetValues<SoftFault>().Length];
    private readonly Lock _randomLock = new();
    private Random _random = new(1);
    private int _anyArmed;

    /// <summary>How long a <see cref="SoftFault.Stall"/> holds a request. Default 2 s.</summary>
    public TimeSpan StallDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The next <paramref name="count"/> requests (doorbells for <see cref="SoftFault.DropDoorbell"/>) hit <paramref name="fault"/>.</summary>
    public void Arm(SoftFault fault, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Add(ref _pending[(int)fault], count);
        Volatile.Write(ref _anyArmed, 1);
    }

    /// <summary>Each request (or doorbell) hits <paramref name="fault"/> with <paramref name="probability"/>, from a seeded generator.</summary>
    public void SetRate(SoftFault fault, double probability, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1);
        lock (_randomLock)
        {
            _random = new Random(seed);
            _rate[(int)fault] = probability;
        }
        Volatile.Write(ref _anyArmed, 1);
    }

    /// <summary>Disarms everything.</summary>
    public void Clear()
    {
        Array.Clear(_pending);
        lock (_randomLock)
            Array.Clear(_rate);
        Volatile.Write(ref _anyArmed, 0);
    }

    /// <summary>True while any fault is armed.</summary>
    public bool AnyArmed => Volatile.Read(ref _anyArmed) != 0;

    /// <summary>How many times <paramref name="fault"/> has fired.</summary>
    public int Fired(SoftFault fault) => Volatile.Read(ref _fired[(int)fault]);

    /// <summary>Consumes one armed occurrence of <paramref name="fault"/>, if any. Cheap when nothing is armed.</summary>
    internal bool ShouldFire(SoftFault fault)
    {
        if (Volatile.Read(ref _anyArmed) == 0)
            return false;
        ref int pending = ref _pending[(int)fault];
        int n;
        while ((n = Volatile.Read(ref pending)) > 0)
        {
            if (Interlocked.CompareExchange(ref pending, n - 1, n) == n)
                return Fire(fault);
        }
        lock (_randomLock)
        {
            if (_rate[(int)fault] > 0 && _random.NextDouble() < _rate[(int)fault])
                return Fire(fault);
        }
        return false;
    }

    private bool Fire(SoftFault fault)
    {
        Interlocked.Increment(ref _fired[(int)fault]);
        return true;
    }
}
