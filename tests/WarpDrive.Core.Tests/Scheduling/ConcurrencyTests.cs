using WarpDrive.Devices.Soft;
using WarpDrive.Scheduling;
using WarpDrive.Tests.Infrastructure;

namespace WarpDrive.Tests.Scheduling;

public class ConcurrencyTests
{
    [Fact]
    public void Sixteen_threads_times_ten_thousand_requests_each_complete_once_with_their_own_result()
    {
        using var pool = new AcceleratorPool(new WarpDriveOptions { SoftEngine = new SoftEngineOptions { QueueDepth = 128 } });
        const int Threads = 16, PerThread = 10_000;
        long completed = 0;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var request = new AcceleratorRequest("nop");
            for (int i = 0; i < PerThread; i++)
            {
                uint marker = (uint)(t * PerThread + i);
                Requests.Fill(request, marker);
                pool.Run(request);
                if (Requests.Result(request).Consumed != marker)
                    failures.Add($"thread {t} request {i}: got {Requests.Result(request).Consumed}");
                Interlocked.Increment(ref completed);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
        Assert.Equal(Threads * PerThread, completed);
    }

    [Fact]
    public async Task Async_requests_from_many_tasks_all_complete()
    {
        using var pool = new AcceleratorPool();
        var tasks = Enumerable.Range(0, 16).Select(t => Task.Run(async () =>
        {
            var request = new AcceleratorRequest("nop");
            for (int i = 0; i < 2_000; i++)
            {
                uint marker = (uint)(t * 100_000 + i);
                Requests.Fill(request, marker);
                await pool.RunAsync(request);
                Assert.Equal(marker, Requests.Result(request).Consumed);
            }
        }));
        await Task.WhenAll(tasks);
    }

    [Fact]
    public void In_flight_requests_per_queue_stay_within_the_bound()
    {
        using var pool = new AcceleratorPool(new WarpDriveOptions { MaxInFlightPerQueue = 4, SoftEngine = new SoftEngineOptions { QueueDepth = 64, WorkerCount = 1 } });
        var requests = Enumerable.Range(0, 100).Select(i => Requests.Nop((uint)i)).ToArray();
        pool.RunBatch(requests);
        for (int i = 0; i < requests.Length; i++)
            Assert.Equal((uint)i, Requests.Result(requests[i]).Consumed);
    }

    [Fact]
    public async Task A_request_cannot_be_run_twice_at_once()
    {
        using var pool = new AcceleratorPool(new WarpDriveOptions { SoftEngine = new SoftEngineOptions { WorkerCount = 1 } });
        var request = Requests.Nop(1);
        var pending = RunStalled(pool, request);
        Assert.Throws<InvalidOperationException>(() => pool.Run(request));
        await pending;
        Assert.True(request.Succeeded);
    }

    [Fact]
    public async Task A_batch_holding_a_request_in_flight_is_refused_whole()
    {
        using var pool = new AcceleratorPool(new WarpDriveOptions { SoftEngine = new SoftEngineOptions { WorkerCount = 1 } });
        var busy = Requests.Nop(1);
        var pending = RunStalled(pool, busy);
        var fresh = Requests.Nop(2);
        Assert.Throws<InvalidOperationException>(() => pool.RunBatch([fresh, busy]));
        await pending;
        pool.Run(fresh); // Untouched by the refused batch: it runs now.
        Assert.Equal(2u, Requests.Result(fresh).Consumed);
    }

    /// <summary>Starts <paramref name="request"/> on a queue already open, held in flight by a 500 ms stall.</summary>
    private static ValueTask RunStalled(AcceleratorPool pool, AcceleratorRequest request)
    {
        pool.Run(Requests.Nop(1));
        pool.SoftEngine().Faults.StallDuration = TimeSpan.FromMilliseconds(500);
        pool.SoftEngine().Faults.Arm(SoftFault.Stall);
        return pool.RunAsync(request);
    }
}
