namespace WarpDrive.Devices.Soft;

/// <summary>How the in-process soft engine behaves.</summary>
public sealed class SoftEngineOptions
{
    /// <summary>Worker threads executing requests. Default: one per core.</summary>
    public int WorkerCount { get; set; } = Environment.ProcessorCount;

    /// <summary>SQ/CQ depth of every queue. Default 1024, as the QM reports.</summary>
    public int QueueDepth { get; set; } = 1024;

    /// <summary>Queues the device can have open at once (its <c>available_instances</c>). Default 256.</summary>
    public int MaxQueues { get; set; } = 256;

    /// <summary>
    /// True (default): SQEs carry process addresses (SVA). False: they carry offsets into the queue's reserved
    /// static shared region, bounds-checked by the engine.
    /// </summary>
    public bool Sva { get; set; } = true;

    /// <summary>The <c>api</c> string the device reports; <c>hisi_qm_v1</c> selects the v1 doorbell. Default <c>hisi_qm_v3</c>.</summary>
    public string Api { get; set; } = "hisi_qm_v3";

    /// <summary>Device name. Default <c>soft-0</c>.</summary>
    public string Name { get; set; } = "soft-0";

    /// <summary>Deliberately completes each batch of requests in reverse order, as hardware may (for tests).</summary>
    public bool ReorderCompletions { get; set; }

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> on a bad one.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(WorkerCount, 1, nameof(WorkerCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(WorkerCount, 256, nameof(WorkerCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueDepth, 2, nameof(QueueDepth));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(QueueDepth, 65535, nameof(QueueDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueues, 1, nameof(MaxQueues));
        if (!Drivers.Qm.QmDoorbell.TryParseApi(Api, out _, out _))
            throw new ArgumentOutOfRangeException(nameof(Api), Api, "The api must read hisi_qm_vN.");
    }
}
