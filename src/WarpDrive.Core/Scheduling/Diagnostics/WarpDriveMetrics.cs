using System.Diagnostics.Metrics;
using WarpDrive.Queues;
namespace WarpDrive.Scheduling.Diagnostics;

/// <summary>
/// WarpDrive's instruments (meter <c>WarpDrive</c>): how many requests ran on which device, why any fell back,
/// how long they took, and how many queues are open.
/// </summary>
public sealed class WarpDriveMetrics : IDisposable
{
    /// <summary>The meter name to subscribe to.</summary>
    public const string MeterName = "WarpDrive";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _fallbacks;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _queues;
    private readonly Counter<long> _rejected;

    /// <summary>Creates the instruments from <paramref name="meterFactory"/>, or a private meter without one.</summary>
    public WarpDriveMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("warpdrive.requests", "{request}", "Requests completed, by device, algorithm and fallback reason.");
        _fallbacks = _meter.CreateCounter<long>("warpdrive.fallbacks", "{request}", "Requests re-run away from the device first chosen, by reason.");
        _duration = _meter.CreateHistogram<double>("warpdrive.request.duration", "s", "Time from submit to completion.");
        _queues = _meter.CreateUpDownCounter<long>("warpdrive.queues.open", "{queue}", "Queues the pool has open, by device.");
        _rejected = _meter.CreateCounter<long>("warpdrive.results.rejected", "{request}", "Device results that failed a check on the host, by device and algorithm.");
    }

    /// <summary>True while something listens to request durations: only then is a run in line worth two clock reads.</summary>
    internal bool TimesRequests => _duration.Enabled;

    internal void Completed(AcceleratorRequest request, double seconds)
    {
        // Every request passes here: with nobody listening, skip building the tags.
        if (!_requests.Enabled && !_duration.Enabled)
            return;
        var device = new KeyValuePair<string, object?>("warpdrive.device", request.ServedBy);
        var algorithm = new KeyValuePair<string, object?>("warpdrive.algorithm", request.Algorithm.Name);
        var reason = new KeyValuePair<string, object?>("warpdrive.fallback.reason", ReasonName(request.Fallback));
        _requests.Add(1, device, algorithm, reason);
        _duration.Record(seconds, device, algorithm);
    }

    internal void FellBack(string fromDevice, AcceleratorAlgorithm algorithm, FallbackReason reason) =>
        _fallbacks.Add(1,
            new KeyValuePair<string, object?>("warpdrive.device", fromDevice),
            new KeyValuePair<string, object?>("warpdrive.algorithm", algorithm.Name),
            new KeyValuePair<string, object?>("warpdrive.fallback.reason", ReasonName(reason)));

    internal void Rejected(string device, AcceleratorAlgorithm algorithm) =>
        _rejected.Add(1,
            new KeyValuePair<string, object?>("warpdrive.device", device),
            new KeyValuePair<string, object?>("warpdrive.algorithm", algorithm.Name));

    internal void QueueOpened(string device) => _queues.Add(1, new KeyValuePair<string, object?>("warpdrive.device", device));

    internal void QueueClosed(string device) => _queues.Add(-1, new KeyValuePair<string, object?>("warpdrive.device", device));

    private static string ReasonName(FallbackReason reason) => reason switch
    {
        FallbackReason.None => "none",
        FallbackReason.NoQueue => "no_queue",
        FallbackReason.DeviceError => "device_error",
        FallbackReason.QueueStopped => "queue_stopped",
        FallbackReason.DeviceRemoved => "device_removed",
        FallbackReason.Timeout => "timeout",
        FallbackReason.NoSharedMemory => "no_shared_memory",
        FallbackReason.ResultRejected => "result_rejected",
        _ => "other",
    };

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
