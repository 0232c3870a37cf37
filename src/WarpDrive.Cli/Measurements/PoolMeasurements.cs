using WarpDrive.Drivers.Qm;
using WarpDrive.Queues;
using WarpDrive.Scheduling;

namespace WarpDrive.Cli.Measurements;

/// <summary>Creates no-op requests the pool can run again and again.</summary>
internal static class NopRequests
{
    public static AcceleratorRequest Create()
    {
        var request = new AcceleratorRequest(AcceleratorAlgorithm.Nop);
        _ = new ZipSqe(request.Sqe) { Layout = ZipSqeLayout.V3, InputLength = 7 };
        return request;
    }

    public static void Check(AcceleratorRequest request, string system)
    {
        if (!request.Succeeded)
            throw new InvalidOperationException($"{system}: a no-op request failed (served by {request.ServedBy}).");
    }
}

/// <summary>One no-op request at a time through <see cref="AcceleratorPool.Run"/>: the pool's whole synchronous path.</summary>
internal sealed class PoolRoundTrip : IMeasurable
{
    private readonly AcceleratorPool _pool;
    private readonly AcceleratorRequest _request = NopRequests.Create();

    public PoolRoundTrip(WarpDriveOptions options)
    {
        _pool = new AcceleratorPool(options);
        _pool.Run(_request);
        NopRequests.Check(_request, System);
        Details = new Dictionary<string, object> { ["workers"] = _pool.Options.SoftEngine.WorkerCount, ["device"] = _request.ServedBy ?? "?" };
    }

    public string System => "warpdrive-pool";
    public string Operation => "round_trip";
    public MeasureUnit Unit => MeasureUnit.Nanoseconds;
    public int OperationsPerIteration => 1;
    public IReadOnlyDictionary<string, object> Details { get; }

    public void Run(long iterations)
    {
        for (long i = 0; i < iterations; i++)
            _pool.Run(_request);
        NopRequests.Check(_request, System);
    }

    public void Dispose() => _pool.Dispose();
}

/// <summary>Batches of no-op requests through <see cref="AcceleratorPool.RunBatch"/>, reusing the request objects.</summary>
internal sealed class PoolBatch : IMeasurable
{
    public const int BatchSize = 64;

    private readonly AcceleratorPool _pool;
    private readonly AcceleratorRequest[] _requests;

    public PoolBatch(WarpDriveOptions options)
    {
        _pool = new AcceleratorPool(options);
        _requests = Enumerable.Range(0, BatchSize).Select(_ => NopRequests.Create()).ToArray();
        _pool.RunBatch(_requests);
        NopRequests.Check(_requests[^1], System);
        Details = new Dictionary<string, object>
        {
            ["workers"] = _pool.Options.SoftEngine.WorkerCount,
            ["batch"] = BatchSize,
            ["device"] = _requests[0].ServedBy ?? "?",
        };
    }

    public string System => "warpdrive-pool";
    public string Operation => "batched_nop";
    public MeasureUnit Unit => MeasureUnit.RequestsPerSecond;
    public int OperationsPerIteration => BatchSize;
    public IReadOnlyDictionary<string, object> Details { get; }

    public void Run(long iterations)
    {
        for (long i = 0; i < iterations; i++)
            _pool.RunBatch(_requests);
        NopRequests.Check(_requests[^1], System);
    }

    public void Dispose() => _pool.Dispose();
}
