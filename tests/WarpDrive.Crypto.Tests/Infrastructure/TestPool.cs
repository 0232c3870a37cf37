using WarpDrive.Scheduling;

namespace WarpDrive.Crypto.Tests.Infrastructure;

/// <summary>Pools for tests: one shared in-process pool (no faults armed on it, ever), and private ones for fault tests.</summary>
internal static class TestPool
{
    private static readonly Lazy<AcceleratorPool> s_shared = new(() => Create());

    /// <summary>A soft-engine-only pool shared by tests that inject no faults.</summary>
    public static AcceleratorPool Shared => s_shared.Value;

    /// <summary>A pool of the test's own (dispose it): only the in-process soft engine, two workers.</summary>
    public static AcceleratorPool Create(bool sva = true) => new(new WarpDriveOptions
    {
        UseHardware = false,
        UseKernelSoftDevices = false,
        SoftEngine = new() { WorkerCount = 2, Sva = sva },
    });
}
