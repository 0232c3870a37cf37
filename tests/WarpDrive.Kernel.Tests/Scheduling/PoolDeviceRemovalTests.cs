using System.Collections.Concurrent;
using System.Diagnostics;
using WarpDrive.Drivers.Qm;
using WarpDrive.Queues;
using WarpDrive.Scheduling;
using WarpDrive.Tests.Infrastructure;

namespace WarpDrive.Tests.Scheduling;

/// <summary>
/// The kernel's uacce_echo device disappears (<c>rmmod uacce_echo</c>) while the pool sends it requests: the
/// process survives (the removed queue's rings read as stopped instead of faulting), every request completes
/// exactly once with a correct result, first on the device and then in software, and the pool carries on.
/// Runs in the kernel tier (qemu guest, WARPDRIVE_KERNEL_TIER=1); skipped elsewhere. Runs alone, and loads
/// the module again before it returns, so later tests and the tier's own <c>rmmod</c> find the device.
/// </summary>
[Collection(nameof(KernelDeviceAlone))]
public class PoolDeviceRemovalTests
{
    private const int SyncWorkers = 3;
    private const int BatchSize = 4;
    private const int AfterRemovalPerWorker = 20;
    private static readonly TimeSpan StreamLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Removing_the_device_mid_stream_completes_every_request_once_and_software_takes_over()
    {
        using var pool = new AcceleratorPool(new WarpDriveOptions { RequestTimeout = TimeSpan.FromMilliseconds(100) });
        var echo = KernelTier.EchoDevice(pool);
        string module = FindEchoModule()
            ?? throw new InvalidOperationException(
                $"uacce_echo.ko not found above {AppContext.BaseDirectory} (native/uacce/tests) nor in WARPDRIVE_ECHO_KO.");

        var results = new ConcurrentQueue<Outcome>();
        uint nextId = 0;
        uint NewId() => Interlocked.Increment(ref nextId);

        // Before: the device serves (with its doorbell trap nearly all; polled, a doorbell hidden by a CQ one
        // sends some to software after the timeout).
        var request = new AcceleratorRequest("echo");
        for (int i = 0; i < 200; i++)
            results.Enqueue(RunOne(pool, request, NewId(), removedAt: long.MaxValue));
        Assert.Contains(results, o => o.ServedBy == echo.Name);
        Console.WriteLine($"PoolDeviceRemovalTests: {results.Count(o => o.ServedBy == echo.Name)} of {results.Count} sequential requests ran on {echo.Name}");

        bool removed = false;
        try
        {
            // During: workers stream requests, synchronous ones and an asynchronous batch of several in flight.
            long removedAt = long.MaxValue;
            using var stop = new CancellationTokenSource();
            var afterRemoval = new int[SyncWorkers + 1];
            var workers = new List<Task>();
            for (int w = 0; w < SyncWorkers; w++)
            {
                int worker = w;
                workers.Add(Task.Factory.StartNew(() =>
                {
                    var mine = new AcceleratorRequest("echo");
                    while (!stop.IsCancellationRequested)
                    {
                        var outcome = RunOne(pool, mine, NewId(), Volatile.Read(ref removedAt));
                        results.Enqueue(outcome);
                        if (outcome.StartedAfterRemoval)
                            Interlocked.Increment(ref afterRemoval[worker]);
                    }
                }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            }
            // A batch keeps several requests in flight on one queue. (One thread per worker: the pool gives
            // each thread its own queue, and uacce_echo has 8; async continuations would hop threads.)
            workers.Add(Task.Factory.StartNew(() =>
            {
                var batch = Enumerable.Range(0, BatchSize).Select(_ => new AcceleratorRequest("echo")).ToArray();
                var ids = new uint[BatchSize];
                while (!stop.IsCancellationRequested)
                {
                    bool afterRemove = Stopwatch.GetTimestamp() > Volatile.Read(ref removedAt);
                    for (int k = 0; k < BatchSize; k++)
                        ids[k] = Prepare(batch[k], NewId());
                    pool.RunBatch(batch);
                    for (int k = 0; k < BatchSize; k++)
                        results.Enqueue(Outcome.Of(batch[k], ids[k], afterRemove));
                    if (afterRemove)
                        Interlocked.Increment(ref afterRemoval[SyncWorkers]);
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));

            var clock = Stopwatch.StartNew();
            while (results.Count < 100 && clock.Elapsed < StreamLimit && !workers.Any(t => t.IsCompleted))
                await Task.Delay(5);
            RunTool("rmmod", "uacce_echo");
            removed = true;
            Volatile.Write(ref removedAt, Stopwatch.GetTimestamp());

            while (Enumerable.Range(0, afterRemoval.Length).Any(i => Volatile.Read(ref afterRemoval[i]) < AfterRemovalPerWorker) &&
                   clock.Elapsed < StreamLimit &&
                   !workers.Any(t => t.IsCompleted))
                await Task.Delay(10);
            stop.Cancel();
            await Task.WhenAll(workers).WaitAsync(StreamLimit);
            Assert.All(afterRemoval, n => Assert.True(n >= AfterRemovalPerWorker, $"a worker ran only {n} requests after the removal"));

            // After: the pool keeps working, in software.
            for (int i = 0; i < 20; i++)
                results.Enqueue(RunOne(pool, request, NewId(), removedAt));
        }
        finally
        {
            if (removed)
                RunTool("insmod", module);
        }

        var all = results.ToArray();
        Assert.Equal(all.Length, all.Select(o => o.Id).Distinct().Count());
        Assert.All(all, o =>
        {
            Assert.True(o.Succeeded, $"request {o.Id} failed (served by {o.ServedBy}, fallback {o.Fallback})");
            Assert.True(o.ResultId == o.Id, $"request {o.Id} came back with the SQE of request {o.ResultId}");
            Assert.False(string.IsNullOrEmpty(o.ServedBy), $"request {o.Id} has no server");
            // NoQueue: once the device is gone no queue serves "echo" (the in-process engine runs it directly).
            Assert.True(o.Fallback is FallbackReason.None or FallbackReason.QueueStopped or FallbackReason.DeviceRemoved
                or FallbackReason.Timeout or FallbackReason.NoQueue, $"request {o.Id}: fallback {o.Fallback}");
        });
        var late = all.Where(o => o.StartedAfterRemoval).ToArray();
        Assert.NotEmpty(late);
        Assert.All(late, o => Assert.NotEqual(echo.Name, o.ServedBy));
        Assert.Contains(all, o => !o.StartedAfterRemoval && o.ServedBy == echo.Name);
        Assert.True(WaitForEcho(TimeSpan.FromSeconds(10)), "uacce_echo did not come back after insmod");
        // What the removal looked like, for the log.
        var summary = all.GroupBy(o => (o.StartedAfterRemoval, o.ServedBy, o.Fallback))
            .Select(g => $"{(g.Key.StartedAfterRemoval ? "after" : "before")}/{g.Key.ServedBy}/{g.Key.Fallback}: {g.Count()}");
        Console.WriteLine("PoolDeviceRemovalTests: " + string.Join(", ", summary));
    }

    private static uint Prepare(AcceleratorRequest request, uint id)
    {
        request.Reset();
        // The v2 layout keeps the tag in dw13, clear of the words the echo device rewrites; dw4 (the input
        // length) is left alone by both the device and the software engine, so it identifies the SQE.
        _ = new ZipSqe(request.Sqe) { Layout = ZipSqeLayout.V2, InputLength = id };
        return id;
    }

    private static Outcome RunOne(AcceleratorPool pool, AcceleratorRequest request, uint id, long removedAt)
    {
        bool afterRemove = Stopwatch.GetTimestamp() > removedAt;
        Prepare(request, id);
        pool.Run(request);
        return Outcome.Of(request, id, afterRemove);
    }

    private sealed record Outcome(uint Id, uint ResultId, bool Succeeded, string? ServedBy, FallbackReason Fallback, bool StartedAfterRemoval)
    {
        public static Outcome Of(AcceleratorRequest request, uint id, bool afterRemoval) =>
            new(id, new ZipSqe(request.Sqe).InputLength, request.Succeeded, request.ServedBy, request.Fallback, afterRemoval);
    }

    /// <summary>The uacce_echo.ko the tier built (and loaded): WARPDRIVE_ECHO_KO, else native/uacce/tests above the test assembly.</summary>
    private static string? FindEchoModule()
    {
        if (Environment.GetEnvironmentVariable("WARPDRIVE_ECHO_KO") is { Length: > 0 } env && File.Exists(env))
            return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "native", "uacce", "tests", "uacce_echo.ko");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>Runs kmod's rmmod/insmod, or busybox's applet where kmod is not installed; fails on a nonzero exit.</summary>
    private static void RunTool(string tool, string argument)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string? path = new[] { "/sbin/", "/usr/sbin/", "/bin/", "/usr/bin/" }.Select(d => d + tool).FirstOrDefault(File.Exists);
        if (path is not null)
        {
            psi.FileName = path;
        }
        else
        {
            psi.FileName = new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException($"Neither {tool} nor busybox is installed.");
            psi.ArgumentList.Add(tool);
        }
        psi.ArgumentList.Add(argument);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {psi.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new TimeoutException($"{tool} {argument} did not finish in 30 s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
    }

    private static bool WaitForEcho(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            if (Directory.Exists("/sys/class/uacce") &&
                Directory.EnumerateFileSystemEntries("/sys/class/uacce", "uacce_echo-*").Any())
                return true;
            Thread.Sleep(50);
        } while (clock.Elapsed < limit);
        return false;
    }
}
