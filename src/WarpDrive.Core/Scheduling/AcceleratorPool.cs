using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using WarpDrive.Devices;
using WarpDrive.Queues;
using WarpDrive.Scheduling.Diagnostics;

namespace WarpDrive.Scheduling;

/// <summary>
/// Owns the queues: picks a device per algorithm (hardware first, then kernel soft devices, then the in-process
/// engine), gives each thread its own queue so sending takes no shared lock, bounds the requests in flight, and
/// re-runs a request elsewhere when a device errs, stops, disappears or stalls — nothing lost, nothing done twice.
/// </summary>
public sealed partial class AcceleratorPool : IDisposable
{
    private readonly WarpDriveOptions _options;
    private readonly IReadOnlyList<IAcceleratorDevice> _devices;
    private readonly IInlineDevice _inline;
    private readonly ConcurrentDictionary<AcceleratorAlgorithm, AlgorithmService> _serving = new();
    private readonly List<IDisposable> _ownedDevices;
    private readonly ILogger _logger;
    private readonly WarpDriveMetrics _metrics;
    private readonly bool _ownsMetrics;
    private readonly ThreadLocal<Dictionary<(AcceleratorAlgorithm, int), Lane>> _threadLanes = new(() => new Dictionary<(AcceleratorAlgorithm, int), Lane>());
    private readonly Lock _lanesLock = new();
    private volatile Lane[] _lanes = [];
    private volatile bool _disposed;

    /// <summary>Creates a pool over the devices this machine has, plus the in-process soft engine.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public AcceleratorPool(WarpDriveOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
        : this(options ?? new WarpDriveOptions(), null, loggerFactory, meterFactory is null ? null : new WarpDriveMetrics(meterFactory))
    {
    }

    /// <summary>Creates a pool over <paramref name="devices"/> (in preference order) plus the in-process engine.</summary>
    internal AcceleratorPool(WarpDriveOptions options, IEnumerable<IAcceleratorDevice>? devices, ILoggerFactory? loggerFactory, WarpDriveMetrics? metrics)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException("Invalid WarpDrive options: " + string.Join(" ", errors), nameof(options));
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("WarpDrive.AcceleratorPool");
        _ownsMetrics = metrics is null;
        _metrics = metrics ?? new WarpDriveMetrics();
        _devices = devices is null
            ? DeviceCatalog.Discover(options, _logger, out _ownedDevices)
            : DeviceCatalog.WithInProcessEngine(devices, options, out _ownedDevices);
        _inline = _devices.OfType<IInlineDevice>().First();
        StartReaper();
        SchedulingLog.PoolStarted(_logger, string.Join(", ", _devices.Select(d => $"{d.Info.Name} ({d.Info.Kind})")));
    }

    /// <summary>The devices the pool may use, in preference order.</summary>
    public IReadOnlyList<AcceleratorDeviceInfo> Devices => _devices.Select(d => d.Info).ToList();

    /// <summary>The device that runs requests on the caller's thread and re-runs what others failed (the in-process engine).</summary>
    internal IInlineDevice InlineDevice => _inline;

    /// <summary>
    /// Which kinds of device serve <paramref name="algorithm"/> here: the one question a stream or engine asks the
    /// pool before choosing how to cut its work (for example, whether a device that would not understand a soft
    /// engine's extension could receive the request).
    /// </summary>
    public AlgorithmService Serving(AcceleratorAlgorithm algorithm) =>
        // Asked by every new stream: answered once per algorithm (the device list never changes), then allocation-free.
        _serving.GetOrAdd(algorithm, static (a, devices) =>
            new AlgorithmService(a, devices.Where(d => d.Info.Supports(a)).Select(d => d.Info.Kind).Distinct().ToArray()), _devices);

    /// <summary>The options in force.</summary>
    public WarpDriveOptions Options => _options;

    /// <summary>
    /// Runs a request and waits for it, polling while it is in flight. On a device that can run a request on the
    /// submitting thread (the in-process soft engine), a request alone on its queue runs here (still SQ to CQ),
    /// which spares it two thread wake-ups.
    /// </summary>
    public void Run(AcceleratorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var lane = Submit(request, isAsync: false, quietly: true);
        if (lane is null)
            return;
        if (lane.Queue.CanRunOnCaller)
            RunOnCallerOrRing(lane);
        WaitFor(request, lane);
    }

    /// <summary>
    /// After a quiet doorbell (one that woke no device thread): runs the lane's request here when it is the only
    /// one in flight, else rings again so the device's own threads take it.
    /// </summary>
    private static void RunOnCallerOrRing(Lane lane)
    {
        lane.Enter();
        try
        {
            if (lane.Dead || (lane.Outstanding == 1 && lane.Queue.TryRunOnCaller()))
                return;
            lane.Queue.Kick();
        }
        catch (AcceleratorException)
        {
            // The lane failed while we ran; WaitFor finds it dead and the request re-run.
        }
        finally
        {
            lane.Exit();
        }
    }

    /// <summary>Runs requests of one algorithm and queue type with as few doorbells as fit, and waits for all.</summary>
    public void RunBatch(IReadOnlyList<AcceleratorRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var lanes = SubmitBatch(requests, isAsync: false);
        // Waiting on the first unfinished request drains the lane, which completes most of the rest on the way.
        for (int i = 0; i < requests.Count; i++)
        {
            if (lanes[i] is { } lane && !requests[i].IsCompleted)
                WaitFor(requests[i], lane);
        }
    }

    /// <summary>Runs a request; the returned task completes when the result is in <see cref="AcceleratorRequest.Sqe"/>.</summary>
    /// <remarks>The token is honoured before the request is sent; once a device has it, it runs to completion.</remarks>
    public ValueTask RunAsync(AcceleratorRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        Submit(request, isAsync: true);
        return request.AsValueTask();
    }

    /// <summary>
    /// Waits on the calling thread for a request sent with <see cref="RunAsync"/>: the thread drains the request's
    /// queue itself and sleeps on the device's interrupt, with no task continuation or thread-pool hop. For
    /// synchronous callers that keep several requests in flight (a stream's <c>Write</c>). Returns at once for a
    /// request that is not in flight.
    /// </summary>
    public void Wait(AcceleratorRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Lane is { } lane && !request.IsCompleted)
            WaitFor(request, lane);
    }

    /// <summary>Runs requests of one algorithm and queue type with as few doorbells as fit; completes when all have.</summary>
    public async ValueTask RunBatchAsync(IReadOnlyList<AcceleratorRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        SubmitBatch(requests, isAsync: true);
        foreach (var request in requests)
            await request.AsValueTask().ConfigureAwait(false);
    }

    /// <summary>The calling thread's lane for an algorithm, opening a queue on the best device that has one free.</summary>
    private Lane? GetLane(AcceleratorAlgorithm algorithm, int queueType)
    {
        var lanes = _threadLanes.Value!;
        if (lanes.TryGetValue((algorithm, queueType), out var lane) && !lane.Dead)
            return lane;
        lane = OpenLane(algorithm, queueType);
        if (lane is null)
            lanes.Remove((algorithm, queueType));
        else
            lanes[(algorithm, queueType)] = lane;
        return lane;
    }

    private Lane? OpenLane(AcceleratorAlgorithm algorithm, int queueType)
    {
        foreach (var device in _devices)
        {
            if (!device.Info.Supports(algorithm))
                continue;
            IAcceleratorQueue? queue = null;
            try
            {
                queue = device.OpenQueue(algorithm, queueType);
                if (queue is not IRingQueue ring)
                    throw new AcceleratorException($"{device.Info.Name} returned a queue the QM user driver cannot drive.");
                var region = device.Info.Sva ? null : queue.ReserveMemory(_options.SharedRegionSize);
                var lane = new Lane(device, ring, _options.MaxInFlightPerQueue, region);
                lock (_lanesLock)
                    _lanes = [.. _lanes, lane];
                _metrics.QueueOpened(device.Info.Name);
                SchedulingLog.QueueOpened(_logger, algorithm.Name, queueType, device.Info.Name);
                return lane;
            }
            catch (Exception e) when (e is AcceleratorException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                queue?.Dispose();
                SchedulingLog.QueueOpenFailed(_logger, e, algorithm.Name, device.Info.Name);
            }
        }
        return null;
    }

    private void CloseLane(Lane lane)
    {
        lock (_lanesLock)
            _lanes = _lanes.Where(l => l != lane).ToArray();
        try
        {
            lane.Queue.Dispose();
        }
        catch (AcceleratorException)
        {
            // A removed device cannot be closed more cleanly than this; the fd is released either way.
        }
        lane.Region?.Dispose();
        _metrics.QueueClosed(lane.DeviceName);
    }

    /// <summary>Closes every queue and stops the in-process engine the pool started.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        StopReaper();
        foreach (var lane in _lanes)
        {
            lane.Enter();
            FailLane(lane, FallbackReason.NoQueue, null);
            lane.Exit();
        }
        _threadLanes.Dispose();
        foreach (var device in _ownedDevices)
            device.Dispose();
        if (_ownsMetrics)
            _metrics.Dispose();
    }
}
