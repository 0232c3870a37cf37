using System.IO.Pipes;
using BenchmarkDotNet.Attributes;
using WarpDrive.Devices.Soft;
using WarpDrive.Drivers.Qm;
using WarpDrive.Queues;

namespace WarpDrive.Benchmarks;

/// <summary>
/// The queue hand-off against its peers: a no-op request's round trip through the in-process soft engine's queue
/// (spin-polled, the baseline), the same hand-off through a pipe pair and a <see cref="SemaphoreSlim"/> pair between
/// two threads, and batched no-op requests (one doorbell per batch; reported per request).
/// </summary>
[MemoryDiagnoser]
public class QueueBenchmarks
{
    /// <summary>SQEs per doorbell in <see cref="SoftQueueBatchedNop"/>.</summary>
    public const int BatchSize = 64;

    private SoftDevice _device = null!;
    private IAcceleratorQueue _queue = null!;
    private readonly byte[] _sqe = new byte[ZipSqe.Size];
    private readonly byte[] _batch = new byte[ZipSqe.Size * BatchSize];
    private readonly byte[] _completion = new byte[ZipSqe.Size];

    private AnonymousPipeServerStream _pingOut = null!;
    private AnonymousPipeClientStream _pingIn = null!;
    private AnonymousPipeServerStream _pongOut = null!;
    private AnonymousPipeClientStream _pongIn = null!;
    private Thread _pipeEcho = null!;
    private readonly byte[] _byte = new byte[1];

    private SemaphoreSlim _ping = null!;
    private SemaphoreSlim _pong = null!;
    private Thread _semaphoreEcho = null!;
    private volatile bool _stop;

    /// <summary>Starts the soft engine, opens a <c>nop</c> queue, and starts the echo threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = new SoftDevice(new SoftEngineOptions());
        _queue = _device.OpenQueue("nop");
        _ = new ZipSqe(_sqe) { Layout = ZipSqeLayout.V3, InputLength = 7 };
        for (int i = 0; i < BatchSize; i++)
            _ = new ZipSqe(_batch.AsSpan(i * ZipSqe.Size, ZipSqe.Size)) { Layout = ZipSqeLayout.V3, InputLength = 7, Tag = (uint)i };

        _pingOut = new AnonymousPipeServerStream(PipeDirection.Out);
        _pingIn = new AnonymousPipeClientStream(PipeDirection.In, _pingOut.ClientSafePipeHandle);
        _pongOut = new AnonymousPipeServerStream(PipeDirection.Out);
        _pongIn = new AnonymousPipeClientStream(PipeDirection.In, _pongOut.ClientSafePipeHandle);
        _pipeEcho = new Thread(PipeEcho) { IsBackground = true, Name = "pipe echo" };
        _pipeEcho.Start();

        _ping = new SemaphoreSlim(0);
        _pong = new SemaphoreSlim(0);
        _semaphoreEcho = new Thread(SemaphoreEcho) { IsBackground = true, Name = "semaphore echo" };
        _semaphoreEcho.Start();
    }

    /// <summary>Stops the echo threads and the engine.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _ping.Release();
        _semaphoreEcho.Join();
        _pingOut.Dispose();
        _pipeEcho.Join();
        _pingIn.Dispose();
        _pongOut.Dispose();
        _pongIn.Dispose();
        _ping.Dispose();
        _pong.Dispose();
        _queue.Dispose();
        _device.Dispose();
    }

    private void PipeEcho()
    {
        var b = new byte[1];
        try
        {
            while (_pingIn.Read(b, 0, 1) == 1)
                _pongOut.Write(b, 0, 1);
        }
        catch (IOException)
        {
            // Closed: done.
        }
        catch (ObjectDisposedException)
        {
            // Closed: done.
        }
    }

    private void SemaphoreEcho()
    {
        while (true)
        {
            _ping.Wait();
            if (_stop)
                return;
            _pong.Release();
        }
    }

    /// <summary>One no-op SQE sent, one completion polled for: the queue's round trip.</summary>
    [Benchmark(Baseline = true)]
    public void SoftQueueRoundTrip()
    {
        if (!_queue.TrySend(_sqe))
            throw new InvalidOperationException("The queue refused a request with nothing in flight.");
        while (!_queue.TryReceive(_completion))
        {
        }
    }

    /// <summary>One byte there and back through two anonymous pipes.</summary>
    [Benchmark]
    public int PipeRoundTrip()
    {
        _pingOut.Write(_byte, 0, 1);
        return _pongIn.Read(_byte, 0, 1);
    }

    /// <summary>A release and a wait there and back through two semaphores.</summary>
    [Benchmark]
    public void SemaphoreSlimRoundTrip()
    {
        _ping.Release();
        _pong.Wait();
    }

    /// <summary><see cref="BatchSize"/> no-op SQEs with one doorbell, then every completion; the time is per request.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void SoftQueueBatchedNop()
    {
        if (!_queue.TrySend(_batch))
            throw new InvalidOperationException("The queue refused a batch with nothing in flight.");
        for (int received = 0; received < BatchSize;)
        {
            if (_queue.TryReceive(_completion))
                received++;
        }
    }
}
