using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WarpDrive.Hosting;
using WarpDrive.Queues;
using WarpDrive.Scheduling;

namespace WarpDrive.Tests.Hosting;

public class WarpDriveHealthCheckTests
{
    [Fact]
    public async Task Only_the_soft_engine_serving_as_configured_is_healthy_with_the_devices()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWarpDrive(o => o.SysfsRoot = "/nonexistent/sys/class/uacce");
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        var entry = report.Entries[WarpDriveHealthCheck.Name];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Contains("gzip on soft-0 (InProcess)", entry.Description, StringComparison.Ordinal);
        Assert.Contains("soft-0 (InProcess)", (string[])entry.Data["devices"]);
        Assert.Equal("InProcess", entry.Data["soft-0"]);
        Assert.Equal(["deflate", "gzip", "rsa"], (string[])entry.Data["software_only"]);
    }

    [Fact]
    public async Task Only_the_in_process_engine_serving_is_healthy_unless_a_device_is_expected()
    {
        using var pool = new AcceleratorPool(new WarpDriveOptions { UseHardware = false, UseKernelSoftDevices = false, SoftEngine = { WorkerCount = 1 } });
        var check = new WarpDriveHealthCheck(pool);

        var result = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        // Devices switched off, so the in-process engine serves all, on any machine.
        Assert.All(pool.Devices, d => Assert.Equal(AcceleratorKind.InProcess, d.Kind));
        Assert.Equal(HealthStatus.Healthy, result.Status);

        using var expecting = new AcceleratorPool(new WarpDriveOptions { UseHardware = false, UseKernelSoftDevices = false, ExpectedDevices = ["hisi_zip"], SoftEngine = { WorkerCount = 1 } });
        result = await new WarpDriveHealthCheck(expecting).CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Equal(["hisi_zip"], (string[])result.Data["missing"]);
        Assert.Contains("expected device missing: hisi_zip", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_requests_degrade_until_the_next_check_and_changes_are_logged_once()
    {
        using var pool = new AcceleratorPool(new WarpDriveOptions { UseHardware = false, UseKernelSoftDevices = false, SoftEngine = { WorkerCount = 1 } });
        var logs = new ListLogger();
        var check = new WarpDriveHealthCheck(pool, logger: logs);
        var context = new HealthCheckContext();
        var token = TestContext.Current.CancellationToken;

        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context, token)).Status);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context, token)).Status);
        pool.SoftEngine().Faults.Arm(WarpDrive.Devices.Soft.SoftFault.ErrorStatus);
        pool.Run(new AcceleratorRequest("nop"));
        var degraded = await check.CheckHealthAsync(context, token);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Equal(["soft-0"], (string[])degraded.Data["faulted"]);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context, token)).Status);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context, token)).Status);
        // Healthy, degraded, healthy again: three changes, three lines, however many probes.
        Assert.Equal([LogLevel.Information, LogLevel.Warning, LogLevel.Information], logs.Levels);
    }

    private sealed class ListLogger : ILogger<WarpDriveHealthCheck>
    {
        public List<LogLevel> Levels { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Levels.Add(logLevel);
    }

    [Fact]
    public async Task A_hardware_device_serving_is_healthy_and_names_what_is_left_to_software()
    {
        var zip = new FakeDevice(new AcceleratorDeviceInfo("hisi_zip-0", AcceleratorKind.Hardware, "hisi_qm_v2", ["deflate", "gzip", "zlib"], true, 8, 1));
        using var pool = new AcceleratorPool(new WarpDriveOptions { SoftEngine = { WorkerCount = 1 } }, [zip], null, null);
        var check = new WarpDriveHealthCheck(pool);

        var result = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(["hisi_zip-0 (Hardware)", "soft-0 (InProcess)"], (string[])result.Data["devices"]);
        Assert.Equal("Hardware", result.Data["hisi_zip-0"]);
        Assert.Equal(["rsa"], (string[])result.Data["software_only"]);
        Assert.Contains("gzip on hisi_zip-0 (Hardware); rsa on soft-0 (InProcess)", result.Description, StringComparison.Ordinal);
    }

    /// <summary>A device the check only looks at: opening a queue on it is not expected.</summary>
    private sealed class FakeDevice(AcceleratorDeviceInfo info) : IAcceleratorDevice
    {
        public AcceleratorDeviceInfo Info { get; } = info;

        public IAcceleratorQueue OpenQueue(AcceleratorAlgorithm algorithm, int queueType = 0) =>
            throw new AcceleratorException("The fake device opens no queue.");
    }
}
