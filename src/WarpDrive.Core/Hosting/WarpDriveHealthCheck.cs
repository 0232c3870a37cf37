using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WarpDrive.Queues;
using WarpDrive.Scheduling;

namespace WarpDrive.Hosting;

/// <summary>
/// Reports whether WarpDrive serves as configured. The in-process soft engine is the embedded default, so a
/// machine with no accelerator is <see cref="HealthStatus.Healthy"/>; the description says which device serves
/// each of <c>deflate</c>, <c>gzip</c> and <c>rsa</c>. <see cref="HealthStatus.Degraded"/> means a device named
/// in <see cref="WarpDriveOptions.ExpectedDevices"/> is missing, or a device failed requests (software re-ran
/// them) since the previous check. A change of status is logged once, not every probe.
/// </summary>
/// <remarks>
/// The data holds <c>devices</c> (each device as <c>name (kind)</c>), one entry per device name with its kind,
/// <c>software_only</c> (the checked algorithms only software serves), <c>missing</c> (expected devices not
/// found) and <c>faulted</c> (devices that failed requests since the previous check).
/// </remarks>
public sealed class WarpDriveHealthCheck : IHealthCheck
{
    /// <summary>The name (and tag) the check is registered under by <c>AddWarpDrive</c>.</summary>
    public const string Name = "warpdrive";

    /// <summary>The algorithms whose device the check looks at.</summary>
    public static readonly IReadOnlyList<AcceleratorAlgorithm> CheckedAlgorithms = [AcceleratorAlgorithm.Deflate, AcceleratorAlgorithm.Gzip, AcceleratorAlgorithm.Rsa];

    private readonly AcceleratorPool _pool;
    private readonly IReadOnlyList<string> _expected;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private IReadOnlyDictionary<string, long> _faultsSeen = new Dictionary<string, long>();
    private HealthStatus? _lastStatus;

    /// <summary>Creates the check over <paramref name="pool"/>, expecting the devices <paramref name="options"/> names.</summary>
    public WarpDriveHealthCheck(AcceleratorPool pool, IOptions<WarpDriveOptions>? options = null, ILogger<WarpDriveHealthCheck>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = pool;
        _expected = [.. options?.Value.ExpectedDevices ?? pool.Options.ExpectedDevices];
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<AcceleratorDeviceInfo> devices = _pool.Devices;
        var softwareOnly = CheckedAlgorithms.Where(a => _pool.Serving(a).OnlyInProcess).Select(a => a.Name).ToArray();
        var missing = _expected.Where(e => !devices.Any(d => d.Name == e || d.Name.StartsWith(e + "-", StringComparison.Ordinal))).ToArray();
        var faults = _pool.DeviceFaults;
        string[] faulted;
        lock (_lock)
        {
            faulted = faults.Where(f => f.Value > _faultsSeen.GetValueOrDefault(f.Key)).Select(f => f.Key).Order(StringComparer.Ordinal).ToArray();
            _faultsSeen = faults;
        }
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["devices"] = devices.Select(d => $"{d.Name} ({d.Kind})").ToArray(),
            ["software_only"] = softwareOnly,
            ["missing"] = missing,
            ["faulted"] = faulted,
        };
        foreach (var device in devices)
            data[device.Name] = device.Kind.ToString();
        string serving = string.Join("; ", CheckedAlgorithms.Select(a => $"{a} on {ServingDevice(devices, a)}"));
        var problems = new List<string>();
        if (missing.Length > 0)
            problems.Add($"expected device missing: {string.Join(", ", missing)}");
        if (faulted.Length > 0)
            problems.Add($"requests failed on {string.Join(", ", faulted)} and ran in software");
        var result = problems.Count == 0
            ? HealthCheckResult.Healthy($"Serving {serving}.", data)
            : HealthCheckResult.Degraded($"{string.Join("; ", problems)}. Serving {serving}.", data: data);
        lock (_lock)
        {
            if (_lastStatus != result.Status)
            {
                _lastStatus = result.Status;
                if (result.Status == HealthStatus.Healthy)
                    Log.Healthy(_logger, result.Description ?? "");
                else
                    Log.Degraded(_logger, result.Description ?? "");
            }
        }
        return Task.FromResult(result);
    }

    /// <summary>The device the pool prefers for <paramref name="algorithm"/> (devices come in preference order).</summary>
    private static string ServingDevice(IReadOnlyList<AcceleratorDeviceInfo> devices, AcceleratorAlgorithm algorithm) =>
        devices.FirstOrDefault(d => d.Supports(algorithm)) is { } device ? $"{device.Name} ({device.Kind})" : "software";
}
