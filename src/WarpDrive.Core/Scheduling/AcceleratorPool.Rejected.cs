using System.Collections.Concurrent;
using WarpDrive.Scheduling.Diagnostics;

namespace WarpDrive.Scheduling;

/// <summary>
/// Results the host found wrong. A device can answer wrongly (DESIGN.md, failure model): the layers above check
/// what comes back against something the device did not compute, and hand a result that fails back here.
/// </summary>
public sealed partial class AcceleratorPool
{
    private readonly ConcurrentDictionary<string, byte> _rejectingDevices = new();
    private readonly ConcurrentDictionary<string, long> _deviceFaults = new();
    private long _resultsRejected;

    /// <summary>
    /// Per device, how many of its requests software had to re-run (error statuses, stops, removals, time-outs,
    /// rejected results) since the pool started. A device with none is absent.
    /// </summary>
    public IReadOnlyDictionary<string, long> DeviceFaults => new Dictionary<string, long>(_deviceFaults, StringComparer.Ordinal);

    private void CountFault(string device) => _deviceFaults.AddOrUpdate(device, 1, static (_, n) => n + 1);

    /// <summary>Device results that failed a check on the host since the pool started.</summary>
    public long ResultsRejected => Interlocked.Read(ref _resultsRejected);

    /// <summary>True when <paramref name="request"/>'s result came from code in this process: the in-process engine or a software re-run.</summary>
    public bool ServedInProcess(AcceleratorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.ServedBy is null or "software" || request.ServedBy == _inline.Info.Name;
    }

    /// <summary>
    /// Counts a completed request whose result failed a check on the host (<see cref="ResultsRejected"/> and
    /// <c>warpdrive.results.rejected</c>) and logs the first one from each device. For a result that cannot be
    /// re-run (stream mode); others go to <see cref="RerunRejected"/>.
    /// </summary>
    public void CountRejected(AcceleratorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string device = request.ServedBy ?? "unknown";
        Interlocked.Increment(ref _resultsRejected);
        CountFault(device);
        _metrics.Rejected(device, request.Algorithm);
        if (_rejectingDevices.TryAdd(device, 0))
            SchedulingLog.ResultRejected(_logger, device, request.Algorithm.Name);
    }

    /// <summary>
    /// Takes back a completed request whose result failed a check on the host: counts it (<see cref="CountRejected"/>)
    /// and runs the request's original SQE again in software on this thread, as for a device error. The request
    /// then holds the software's result, with <see cref="AcceleratorRequest.Fallback"/> = <see cref="FallbackReason.ResultRejected"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request is still in flight, or is a stream-mode request.</exception>
    public void RerunRejected(AcceleratorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.ThrowIfInFlight();
        if (request.IsStreamMode)
            throw new InvalidOperationException("A stream-mode request cannot be re-run: its stream's state lives on the device.");
        string device = request.ServedBy ?? "unknown";
        CountRejected(request);
        Span<byte> sqe = stackalloc byte[request.Sqe.Length];
        request.Pin();
        try
        {
            ExecuteInSoftware(request, sqe);
        }
        finally
        {
            request.Unpin();
        }
        sqe.CopyTo(request.Sqe);
        request.ServedBy = "software";
        request.Fallback = FallbackReason.ResultRejected;
        _metrics.FellBack(device, request.Algorithm, FallbackReason.ResultRejected);
    }
}
