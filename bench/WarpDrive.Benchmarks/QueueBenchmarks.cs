using BenchmarkDotNet.Attributes;
using WarpDrive.Cli.Measurements;
using WarpDrive.Devices.Soft;

namespace WarpDrive.Benchmarks;

/// <summary>
/// The queue hand-off under BenchmarkDotNet, side by side with a pipe pair and a SemaphoreSlim pair. Each
/// benchmark drives the same measurable that <c>warpdrive bench queue</c> times, so both report one mechanism.
/// </summary>
[MemoryDiagnoser]
public class QueueBenchmarks
{
    private SoftQueueRoundTrip _softQueue = null!;
    private PipeRoundTrip _pipe = null!;
    private SemaphoreRoundTrip _semaphore = null!;
    private SoftQueueBatch _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        _softQueue = new SoftQueueRoundTrip(new SoftEngineOptions());
        _pipe = new PipeRoundTrip();
        _semaphore = new SemaphoreRoundTrip();
        _batch = new SoftQueueBatch(new SoftEngineOptions());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _softQueue.Dispose();
        _pipe.Dispose();
        _semaphore.Dispose();
        _batch.Dispose();
    }

    /// <summary>One no-op request through the in-process engine's queue, spin-polled.</summary>
    [Benchmark(Baseline = true)]
    public void SoftQueueRoundTrip() => _softQueue.Run(1);

    /// <summary>One byte there and back through two anonymous pipes between two threads (system calls).</summary>
    [Benchmark]
    public void PipeRoundTrip() => _pipe.Run(1);

    /// <summary>A release/wait there and back through two SemaphoreSlims.</summary>
    [Benchmark]
    public void SemaphoreSlimRoundTrip() => _semaphore.Run(1);

    /// <summary>64 no-op SQEs with one doorbell, then drained; reported per request.</summary>
    [Benchmark(OperationsPerInvoke = SoftQueueBatch.BatchSize)]
    public void BatchedNop() => _batch.Run(1);
}
