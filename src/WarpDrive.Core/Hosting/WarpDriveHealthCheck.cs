using Microsoft.Extensions.Diagnostics.HealthChecks;
using WarpDrive.Queues;
using WarpDrive.Scheduling;

namespace WarpDrive.Hosting;

/// <summary>
/// Reports what serves WarpDrive's work: <see cref="HealthStatus.Healthy"/> when a hardware or kernel soft device
/// serves at least one of <c>deflate</c>, <c>gzip</c> and <c>rsa</c>; <see cref="HealthStatus.Degraded"/> when only
/// the in-process soft engine does (everything still works, on this process's CPUs).
/// </summary>
/// <remarks>
/// The data holds <c>devices</c> (each device as <c>name (kind)</c>), one entry per device name with its kind, and
/// <c>software_only</c>: the checked algorithms that only software serves.
/// </remarks>
public sealed class WarpDriveHealthCheck : IHealthCheck
{
    /// <summary>The name (and tag) the check is registered under by <c>AddWarpDrive</c>.</summary>
    public const string Name = "warpdrive";

    /// <summary>The algorithms whose device the check looks at.</summary>
    public static readonly IReadOnlyList<string> CheckedAlgorithms = ["deflate", "gzip", "rsa"];

    private readonly AcceleratorPool _pool;

    /// <summary>Creates the check over <paramref name="pool"/>.</summary>
    public WarpDriveHealthCheck(AcceleratorPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = pool;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<AcceleratorDeviceInfo> devices = _pool.Devices;
        var softwareOnly = CheckedAlgorithms.Where(_pool.OnlySoftwareServes).ToArray();
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["devices"] = devices.Select(d => $"{d.Name} ({d.Kind})").ToArray(),
            ["software_only"] = softwareOnly,
        };
        foreach (var device in devices)
            data[device.Name] = device.Kind.ToString();
        var served = CheckedAlgorithms.Except(softwareOnly).ToArray();
        var result = served.Length > 0
            ? HealthCheckResult.Healthy(
                $"Accelerated: {string.Join(", ", served)}" + (softwareOnly.Length > 0 ? $"; software only: {string.Join(", ", softwareOnly)}." : "."),
                data)
            : HealthCheckResult.Degraded(
                $"No hardware or kernel device serves {string.Join(", ", CheckedAlgorithms)}; the in-process soft engine does.",
                data: data);
        return Task.FromResult(result);
    }
}
