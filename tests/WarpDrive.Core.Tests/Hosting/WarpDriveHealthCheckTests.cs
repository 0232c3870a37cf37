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
    public async Task Only_the_soft_engine_serving_reports_degraded_with_the_devices()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWarpDrive(o => o.SysfsRoot = "/nonexistent/sys/class/uacce");
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        var entry = report.Entries[WarpDriveHealthCheck.Name];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("soft-0 (InProcess)", (string[])entry.Data["devices"]);
        Assert.Equal("InProcess", entry.Data["soft-0"]);
        Assert.Equal(["deflate", "gzip", "rsa"], (string[])entry.Data["software_only"]);
    }

    [Fact]
    public async Task Only_the_in_process_engine_serving_is_degraded()
    {
        using var pool = new AcceleratorPool(new WarpDriveOptions { UseHardware = false, UseKernelSoftDevices = false, SoftEngine = { WorkerCount = 1 } });
        var check = new WarpDriveHealthCheck(pool);

        var result = await check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        // Devices switched off, so the in-process engine serves all, on any machine.
        Assert.All(pool.Devices, d => Assert.Equal(AcceleratorKind.InProcess, d.Kind));
        Assert.Equal(HealthStatus.Degraded, result.Status);
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
        Assert.Contains("software only: rsa", result.Description, StringComparison.Ordinal);
    }

    /// <summary>A device the check only looks at: opening a queue on it is not expected.</summary>
    private sealed class FakeDevice(AcceleratorDeviceInfo info) : IAcceleratorDevice
    {
        public AcceleratorDeviceInfo Info { get; } = info;

        public IAcceleratorQueue OpenQueue(string algorithm, int queueType = 0) =>
            throw new AcceleratorException("The fake device opens no queue.");
    }
}
