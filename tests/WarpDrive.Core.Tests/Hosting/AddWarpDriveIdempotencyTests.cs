using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using WarpDrive.Hosting;
using WarpDrive.Scheduling;

namespace WarpDrive.Tests.Hosting;

public class AddWarpDriveIdempotencyTests
{
    [Fact]
    public void Adding_twice_registers_one_pool_one_validator_and_one_health_check()
    {
        var services = new ServiceCollection();
        services.AddLogging(); // the health check service needs it; a host has it
        services.AddWarpDrive();
        services.AddWarpDrive();

        Assert.Single(services, d => d.ServiceType == typeof(AcceleratorPool));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<WarpDriveOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(WarpDriveHealthCheck));

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Assert.Same(provider.GetRequiredService<AcceleratorPool>(), provider.GetRequiredService<AcceleratorPool>());
        Assert.Single(provider.GetServices<IValidateOptions<WarpDriveOptions>>());
        var registrations = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Single(registrations, r => r.Name == WarpDriveHealthCheck.Name);
    }

    [Fact]
    public async Task Health_service_runs_after_adding_twice_without_a_duplicate_name_error()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWarpDrive().AddWarpDrive();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        Assert.Equal([WarpDriveHealthCheck.Name], report.Entries.Keys);
    }

    [Fact]
    public void Every_configure_given_is_applied_in_call_order()
    {
        var services = new ServiceCollection();
        services.AddWarpDrive(o => o.MaxInFlightPerQueue = 8);
        services.AddWarpDrive(o => o.RequestTimeout = TimeSpan.FromSeconds(2));
        services.AddWarpDrive(o => o.MaxInFlightPerQueue *= 2);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<WarpDriveOptions>>().Value;
        Assert.Equal(16, options.MaxInFlightPerQueue);
        Assert.Equal(TimeSpan.FromSeconds(2), options.RequestTimeout);
        Assert.Same(options, provider.GetRequiredService<AcceleratorPool>().Options);
    }

    [Fact]
    public void The_container_disposes_the_pool_it_built()
    {
        var services = new ServiceCollection();
        services.AddWarpDrive();
        var provider = services.BuildServiceProvider();
        var pool = provider.GetRequiredService<AcceleratorPool>();

        provider.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pool.Run(new AcceleratorRequest("nop")));
    }
}
