using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using WarpDrive.Devices.Soft;
using WarpDrive.Drivers.Qm;
using WarpDrive.Scheduling.Diagnostics;
using WarpDrive.Scheduling;

namespace WarpDrive.Tests.Hosting;

public sealed class WarpDriveMetricsTests : IDisposable
{
    private readonly ServiceProvider _provider;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public WarpDriveMetricsTests()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddWarpDrive(o => o.SoftEngine.WorkerCount = 1);
        _provider = services.BuildServiceProvider();
        var meterFactory = _provider.GetRequiredService<IMeterFactory>();
        // Only this test's meter: other tests' pools publish on meters of the same name at the same time.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WarpDriveMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
                copy[tag.Key] = tag.Value;
            _measurements.Enqueue((instrument.Name, value, copy));
        });
        _listener.Start();
    }

    private static AcceleratorRequest Nop()
    {
        var request = new AcceleratorRequest("nop");
        _ = new ZipSqe(request.Sqe) { Layout = ZipSqeLayout.V3, InputLength = 7 };
        return request;
    }

    private List<(string Instrument, long Value, Dictionary<string, object?> Tags)> Of(string instrument) =>
        _measurements.Where(m => m.Instrument == instrument).ToList();

    [Fact]
    public void A_request_through_the_pool_counts_on_warpdrive_requests_with_its_device()
    {
        var pool = _provider.GetRequiredService<AcceleratorPool>();
        var request = Nop();

        pool.Run(request);

        Assert.True(request.Succeeded);
        Assert.Equal(7u, new ZipSqe(request.Sqe).Consumed);
        var counted = Assert.Single(Of("warpdrive.requests"));
        Assert.Equal(1, counted.Value);
        Assert.Equal("soft-0", counted.Tags["warpdrive.device"]);
        Assert.Equal("nop", counted.Tags["warpdrive.algorithm"]);
        Assert.Equal("none", counted.Tags["warpdrive.fallback.reason"]);
        Assert.Empty(Of("warpdrive.fallbacks"));
        Assert.Contains(Of("warpdrive.queues.open"), m => m.Value == 1 && (string?)m.Tags["warpdrive.device"] == "soft-0");
    }

    [Fact]
    public void An_injected_device_error_counts_one_fallback_with_its_reason()
    {
        var pool = _provider.GetRequiredService<AcceleratorPool>();
        pool.SoftEngine().Faults.Arm(SoftFault.ErrorStatus);
        var request = Nop();

        pool.Run(request);

        Assert.True(request.Succeeded);
        Assert.Equal(FallbackReason.DeviceError, request.Fallback);
        var fallback = Assert.Single(Of("warpdrive.fallbacks"));
        Assert.Equal(1, fallback.Value);
        Assert.Equal("device_error", fallback.Tags["warpdrive.fallback.reason"]);
        Assert.Equal("soft-0", fallback.Tags["warpdrive.device"]);
        var counted = Assert.Single(Of("warpdrive.requests"));
        Assert.Equal("software", counted.Tags["warpdrive.device"]);
        Assert.Equal("device_error", counted.Tags["warpdrive.fallback.reason"]);
    }

    [Fact]
    public void A_batch_counts_every_request()
    {
        var pool = _provider.GetRequiredService<AcceleratorPool>();
        var requests = Enumerable.Range(0, 64).Select(_ => Nop()).ToArray();

        pool.RunBatch(requests);
        foreach (var r in requests)
            _ = new ZipSqe(r.Sqe) { Layout = ZipSqeLayout.V3, InputLength = 7 };
        pool.RunBatch(requests);

        Assert.All(requests, r => Assert.True(r.Succeeded));
        Assert.Equal(128, Of("warpdrive.requests").Where(m => (string?)m.Tags["warpdrive.device"] == "soft-0").Sum(m => m.Value));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _provider.Dispose();
    }
}
