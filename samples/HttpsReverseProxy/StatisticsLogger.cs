using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WarpDrive.Crypto;
using WarpDrive.Scheduling.Diagnostics;

namespace HttpsReverseProxy;

/// <summary>
/// Logs one line per interval (a minute by default): handshakes, requests, bytes, and how many RSA and compression
/// requests ran on which device and how many fell back — the last two read from WarpDrive's own counters
/// (<see cref="RsaOperationStatistics"/>, the <c>warpdrive.requests</c> and <c>warpdrive.fallbacks</c> metrics).
/// </summary>
internal sealed class StatisticsLogger : BackgroundService
{
    private readonly ProxyStatistics _statistics;
    private readonly RsaOperationStatistics _rsa;
    private readonly TimeSpan _interval;
    private readonly ILogger<StatisticsLogger> _logger;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _requestsByDevice = new();
    private readonly ConcurrentDictionary<string, long> _fallbacksByReason = new();

    public StatisticsLogger(ProxyStatistics statistics, TlsRsaCore rsa, IOptions<ProxyOptions> options, IMeterFactory meters, ILogger<StatisticsLogger> logger)
    {
        _statistics = statistics;
        _rsa = rsa.Core.Statistics;
        _interval = options.Value.StatisticsInterval;
        _logger = logger;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WarpDriveMetrics.MeterName && instrument.Meter.Scope == meters
                && instrument.Name is "warpdrive.requests" or "warpdrive.fallbacks")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? device = null, algorithm = null, reason = null;
            foreach (var tag in tags)
            {
                switch (tag.Key)
                {
                    case "warpdrive.device": device = tag.Value as string; break;
                    case "warpdrive.algorithm": algorithm = tag.Value as string; break;
                    case "warpdrive.fallback.reason": reason = tag.Value as string; break;
                }
            }
            if (algorithm is "rsa")
                return; // RSA is counted by its own statistics
            var counts = instrument.Name == "warpdrive.requests" ? _requestsByDevice : _fallbacksByReason;
            counts.AddOrUpdate((instrument.Name == "warpdrive.requests" ? device : reason) ?? "?", static (_, add) => add, static (_, n, add) => n + add, value);
        });
        _listener.Start();
    }

    /// <summary>Writes the line now (also at each interval).</summary>
    public void LogNow() => _logger.Statistics(_statistics.Handshakes, _statistics.HandshakeFailures, _statistics.Requests, _statistics.BytesIn,
        _statistics.BytesOut, _statistics.ConnectionsOpen, _rsa.PrivateOperations, _rsa.DeviceOperations, _rsa.LastServedBy ?? "-", _rsa.FaultsDetected,
        Describe(_requestsByDevice), Describe(_fallbacksByReason));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                LogNow();
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    public override void Dispose()
    {
        _listener.Dispose();
        base.Dispose();
    }

    private static string Describe(ConcurrentDictionary<string, long> counts) =>
        counts.IsEmpty ? "none" : string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}"));
}

/// <summary>The RSA core the TLS handshakes run on: one per proxy, so its statistics count them all.</summary>
internal sealed class TlsRsaCore(WarpDriveRsaCore core)
{
    public WarpDriveRsaCore Core { get; } = core;
}
