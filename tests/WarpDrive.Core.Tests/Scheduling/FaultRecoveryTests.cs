using WarpDrive.Devices.Soft;
using WarpDrive.Scheduling;
using WarpDrive.Tests.Helpers;
using WarpDrive.Tests.Infrastructure;

namespace WarpDrive.Tests.Scheduling;

/// <summary>Every injected fault is survived: results byte-identical to a fault-free run, each request completed once.</summary>
public class FaultRecoveryTests
{
    private const int RequestCount = 24;
    private const int ChunkSize = 64 * 1024;

    // Fault names, not values: SoftFault is internal and theory parameters must be public types.
    public static TheoryData<string, bool> Faults() => new()
    {
        { nameof(SoftFault.ErrorStatus), false }, { nameof(SoftFault.ErrorStatus), true },
        { nameof(SoftFault.Stall), false }, { nameof(SoftFault.Stall), true },
        { nameof(SoftFault.StopWords), false }, { nameof(SoftFault.StopWords), true },
        { nameof(SoftFault.DropDoorbell), false }, { nameof(SoftFault.DropDoorbell), true },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Fault_is_recovered_with_identical_results_and_no_request_lost_or_duplicated(string faultName, bool async)
    {
        var fault = Enum.Parse<SoftFault>(faultName);
        var inputs = Enumerable.Range(0, RequestCount).Select(i => Corpus.TextBytes(ChunkSize + i * 997)).ToArray();
        var (expected, _) = await Compress(inputs, armed: null, async: false);
        var (outputs, fired) = await Compress(inputs, fault, async);
        for (int i = 0; i < inputs.Length; i++)
            Assert.True(expected[i].AsSpan().SequenceEqual(outputs[i]), $"request {i} differs after {fault}");
        Assert.True(fired >= 1, $"{fault} never fired");
    }

    /// <summary>Compresses each input as one request; every request must complete successfully, exactly once.</summary>
    private static async Task<(byte[][] Outputs, int Fired)> Compress(byte[][] inputs, SoftFault? armed, bool async)
    {
        var options = new WarpDriveOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            SoftEngine = new SoftEngineOptions { WorkerCount = 2, QueueDepth = 16 },
        };
        using var pool = new AcceleratorPool(options);
        pool.SoftEngine().Faults.StallDuration = TimeSpan.FromSeconds(30);
        var outputs = inputs.Select(i => new byte[i.Length + 1024]).ToArray();
        var requests = inputs.Select((input, i) => Requests.Deflate(input, outputs[i], 6)).ToArray();
        // Open the queue first so the fault lands on requests in flight.
        pool.Run(Requests.Nop(1));
        if (armed is { } fault)
            pool.SoftEngine().Faults.Arm(fault, 2);
        if (async)
            await pool.RunBatchAsync(requests);
        else
            pool.RunBatch(requests);
        Assert.All(requests, r => Assert.True(r.Succeeded));
        var result = requests.Select((r, i) => outputs[i].AsSpan(0, (int)Requests.Result(r).Produced).ToArray()).ToArray();
        return (result, armed is { } f ? pool.SoftEngine().Faults.Fired(f) : 0);
    }

    [Fact]
    public void A_request_completes_exactly_once_even_when_its_device_answers_after_the_rerun()
    {
        var options = new WarpDriveOptions { RequestTimeout = TimeSpan.FromMilliseconds(200), SoftEngine = new SoftEngineOptions { WorkerCount = 1, QueueDepth = 8 } };
        using var pool = new AcceleratorPool(options);
        pool.SoftEngine().Faults.StallDuration = TimeSpan.FromMilliseconds(900);
        pool.Run(Requests.Nop(1));
        pool.SoftEngine().Faults.Arm(SoftFault.Stall);
        var request = Requests.Nop(77);
        pool.Run(request);
        Assert.Equal(FallbackReason.Timeout, request.Fallback);
        Assert.Equal("software", request.ServedBy);
        Assert.Equal(77u, Requests.Result(request).Consumed);
        // The next request opens a fresh queue and runs on the device again.
        var next = Requests.Nop(5);
        pool.Run(next);
        Assert.Equal("soft-0", next.ServedBy);
    }
}
