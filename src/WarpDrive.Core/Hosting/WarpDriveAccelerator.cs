using WarpDrive.Scheduling;

namespace WarpDrive;

/// <summary>
/// WarpDrive without dependency injection: a process-wide <see cref="Shared"/> pool, or a pool of your own from
/// <see cref="Create"/>.
/// </summary>
/// <remarks>
/// With a host, prefer <c>services.AddWarpDrive()</c>, which adds logging, metrics through the host's
/// <c>IMeterFactory</c>, option validation at start and a health check. The shared pool logs nothing and publishes
/// its metrics on a private meter named <see cref="Scheduling.Diagnostics.WarpDriveMetrics.MeterName"/>; it lives as long as the
/// process (its threads are background threads) and must not be disposed.
/// </remarks>
/// <example>
/// <code>
/// var request = new AcceleratorRequest(AcceleratorAlgorithm.Nop);
/// WarpDriveAccelerator.Shared.Run(request);
///
/// using var pool = WarpDriveAccelerator.Create(new WarpDriveOptions { MaxInFlightPerQueue = 16 });
/// </code>
/// </example>
public static class WarpDriveAccelerator
{
    private static readonly Lazy<AcceleratorPool> s_shared = new(() => new AcceleratorPool(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The process-wide pool with default options, created on first use. Do not dispose it.</summary>
    public static AcceleratorPool Shared => s_shared.Value;

    /// <summary>True once <see cref="Shared"/> has been created.</summary>
    public static bool IsSharedCreated => s_shared.IsValueCreated;

    /// <summary>Creates a pool of your own over this machine's devices; the caller disposes it.</summary>
    /// <param name="options">Settings; defaults when null.</param>
    /// <exception cref="ArgumentException">The options are invalid (the message lists every problem).</exception>
    public static AcceleratorPool Create(WarpDriveOptions? options = null) => new(options);
}
