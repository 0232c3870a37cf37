using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Devices.Soft;
using WarpDrive.Scheduling;
using WarpDrive.Tests;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// Device faults during a large stream (error statuses, stop words, stalls, lost doorbells) are survived: the
/// output is byte-identical to a fault-free run, and decompression through a faulty device is exact.
/// Runs alone: with other classes compressing beside it, 1 of 3 suite runs under CPU load (and one CI run) saw a
/// software re-run produce other bytes than the fault-free run (valid deflate, the same content), which no run alone
/// did; the re-run's thread-kept ISA-L compressor is the suspect (the closing note of 2026-12-05 has the evidence).
/// </summary>
[Collection(nameof(FaultInjectionAlone))]
public sealed class FaultInjectionTests
{
    private const int Size = 40 << 20;
    private static readonly Lazy<byte[]> Input = new(() => Corpus.Mixed(Size));
    private static readonly Lazy<byte[]> Expected = new(() =>
    {
        using var pool = NewPool();
        return Streams.Compress("gzip", Input.Value, 1, Options(pool));
    });

    // Fault names, not values: SoftFault is internal and theory parameters must be public types.
    public static TheoryData<string, bool> Faults() => new()
    {
        { nameof(SoftFault.ErrorStatus), false },
        { nameof(SoftFault.ErrorStatus), true },
        { nameof(SoftFault.StopWords), false },
        { nameof(SoftFault.DropDoorbell), true },
        { nameof(SoftFault.Stall), false },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Compression_under_faults_is_byte_identical_and_decompression_exact(string faultName, bool async)
    {
        var fault = Enum.Parse<SoftFault>(faultName);
        using var pool = NewPool();
        pool.SoftEngine().Faults.StallDuration = TimeSpan.FromSeconds(5);
        var options = Options(pool);
        pool.SoftEngine().Faults.SetRate(fault, fault is SoftFault.Stall or SoftFault.StopWords ? 0.01 : 0.05, seed: 42);
        var output = new MemoryStream();
        await using (var stream = Streams.WarpDrive("gzip", output, 1, options, leaveOpen: true))
        {
            for (int at = 0; at < Size; at += 1 << 20)
            {
                if (async)
                    await stream.WriteAsync(Input.Value.AsMemory(at, 1 << 20));
                else
                    stream.Write(Input.Value, at, 1 << 20);
            }
        }
        Assert.True(pool.SoftEngine().Faults.Fired(fault) > 0, $"{fault} never fired");
        Assert.True(Expected.Value.AsSpan().SequenceEqual(output.ToArray()), "output differs from the fault-free run");
        // The indexed members go back through the same faulty device as parallel decompress requests.
        Assert.True(Input.Value.AsSpan().SequenceEqual(Streams.Decompress("gzip", output.ToArray(), options)));
    }

    private static AcceleratorPool NewPool() => new(new WarpDriveOptions
    {
        RequestTimeout = TimeSpan.FromMilliseconds(300),
        SoftEngine = new SoftEngineOptions { WorkerCount = 2, QueueDepth = 16 },
    });

    private static WarpDriveCompressionOptions Options(AcceleratorPool pool) => new() { Pool = pool, ChunkSize = 512 * 1024, IndependentBlockSize = 2 << 20 };
}

[CollectionDefinition(nameof(FaultInjectionAlone), DisableParallelization = true)]
public sealed class FaultInjectionAlone;
