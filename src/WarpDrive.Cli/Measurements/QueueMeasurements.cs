using WarpDrive.Devices.Soft;
using WarpDrive.Drivers.Qm;
using WarpDrive.Queues;

namespace WarpDrive.Cli.Measurements;

/// <summary>
/// A no-op request's round trip through the in-process soft engine, at the queue level: write the SQE, ring the
/// doorbell, spin on the completion queue until the engine's worker has answered. No system call either way.
/// </summary>
internal sealed class SoftQueueRoundTrip : IMeasurable
{
    private readonly SoftDevice _device;
    private readonly IAcceleratorQueue _queue;
    private readonly byte[] _sqe = new byte[ZipSqe.Size];
    private readonly byte[] _completion = new byte[ZipSqe.Size];

    public SoftQueueRoundTrip(SoftEngineOptions options)
    {
        _device = new SoftDevice(options);
        _queue = _device.OpenQueue(AcceleratorAlgorithm.Nop);
        _ = new ZipSqe(_sqe) { Layout = ZipSqeLayout.V3, InputLength = 7 };
        Details = new Dictionary<string, object> { ["workers"] = _device.WorkerCount, ["device"] = _device.Info.Name };
    }

    public string System => "warpdrive-soft-queue";
    public string Operation => "round_trip";
    public MeasureUnit Unit => MeasureUnit.Nanoseconds;
    public int OperationsPerIteration => 1;
    public IReadOnlyDictionary<string, object> Details { get; }

    public void Run(long iterations)
    {
        var queue = _queue;
        var sqe = _sqe;
        var completion = _completion;
        for (long i = 0; i < iterations; i++)
        {
            if (!queue.TrySend(sqe))
                throw new InvalidOperationException("The soft queue refused a request with nothing in flight.");
            var guard = new SpinGuard();
            while (!queue.TryReceive(completion))
                guard.Check(System);
        }
    }

    public void Dispose()
    {
        _queue.Dispose();
        _device.Dispose();
    }
}

/// <summary>
/// Batched no-op requests through one soft-engine queue: <see cref="BatchSize"/> SQEs in one span, one doorbell,
/// then every completion drained by polling.
/// </summary>
internal sealed class SoftQueueBatch : IMeasurable
{
    public const int BatchSize = 64;

    private readonly SoftDevice _device;
    private readonly IAcceleratorQueue _queue;
    private readonly byte[] _batch = new byte[ZipSqe.Size * BatchSize];
    private readonly byte[] _completion = new byte[ZipSqe.Size];

    public SoftQueueBatch(SoftEngineOptions options)
    {
        _device = new SoftDevice(options);
        _queue = _device.OpenQueue(AcceleratorAlgorithm.Nop);
        for (int i = 0; i < BatchSize; i++)
            _ = new ZipSqe(_batch.AsSpan(i * ZipSqe.Size, ZipSqe.Size)) { Layout = ZipSqeLayout.V3, InputLength = 7, Tag = (uint)i };
        Details = new Dictionary<string, object> { ["workers"] = _device.WorkerCount, ["batch"] = BatchSize, ["device"] = _device.Info.Name };
    }

    public string System => "warpdrive-soft-queue";
    public string Operation => "batched_nop";
    public MeasureUnit Unit => MeasureUnit.RequestsPerSecond;
    public int OperationsPerIteration => BatchSize;
    public IReadOnlyDictionary<string, object> Details { get; }

    public void Run(long iterations)
    {
        var queue = _queue;
        var completion = _completion;
        for (long i = 0; i < iterations; i++)
        {
            if (!queue.TrySend(_batch))
                throw new InvalidOperationException("The soft queue refused a batch with nothing in flight.");
            var guard = new SpinGuard();
            for (int received = 0; received < BatchSize;)
            {
                if (queue.TryReceive(completion))
                    received++;
                else
                    guard.Check(System);
            }
        }
    }

    public void Dispose()
    {
        _queue.Dispose();
        _device.Dispose();
    }
}
