using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WarpDrive.Scheduling;

namespace WarpDrive.Tests.Hosting;

public class OptionsValidationOnStartTests
{
    [Fact]
    public async Task Bad_options_fail_the_host_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWarpDrive(o => o.MaxInFlightPerQueue = 0);
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(e.Failures, f => f.Contains(nameof(WarpDriveOptions.MaxInFlightPerQueue), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWarpDrive(o =>
        {
            o.MaxInFlightPerQueue = 0;
            o.RequestTimeout = TimeSpan.Zero;
            o.SoftEngine.WorkerCount = 0;
        });
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(3, e.Failures.Count());
    }

    [Fact]
    public async Task Good_options_start_and_the_pool_resolves()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWarpDrive(o => o.SoftEngine.WorkerCount = 1);
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        var pool = host.Services.GetRequiredService<AcceleratorPool>();
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, pool.Options.SoftEngine.WorkerCount);
    }

    [Fact]
    public void Resolving_the_pool_with_bad_options_throws_the_validation_error()
    {
        var services = new ServiceCollection();
        services.AddWarpDrive(o => o.SharedRegionSize = 1);
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<AcceleratorPool>());
    }
}
