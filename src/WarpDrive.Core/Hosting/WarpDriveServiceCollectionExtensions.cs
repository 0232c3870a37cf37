using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WarpDrive;
using WarpDrive.Hosting;
using WarpDrive.Scheduling.Diagnostics;
using WarpDrive.Scheduling;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers WarpDrive in a service collection.</summary>
public static class WarpDriveServiceCollectionExtensions
{
    /// <summary>
    /// Adds WarpDrive: <see cref="WarpDriveOptions"/> (validated when the host starts), one
    /// <see cref="AcceleratorPool"/> singleton built from the options, the <see cref="ILoggerFactory"/> and the
    /// <see cref="IMeterFactory"/> (metrics named <c>warpdrive.*</c> on meter <see cref="WarpDriveMetrics.MeterName"/>),
    /// and the <see cref="WarpDriveHealthCheck"/> named <see cref="WarpDriveHealthCheck.Name"/>.
    /// </summary>
    /// <remarks>
    /// Safe to call more than once: the services are registered once, and every <paramref name="configure"/>
    /// given is applied, in call order. Without a registered <see cref="IMeterFactory"/> (a plain service collection
    /// without <c>AddMetrics()</c>) the pool publishes on a private meter of the same name.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options; bind from configuration with <c>services.Configure&lt;WarpDriveOptions&gt;(section)</c> instead or as well.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddWarpDrive(this IServiceCollection services, Action<WarpDriveOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (configure is not null)
            services.Configure(configure);
        if (services.Any(d => d.ServiceType == typeof(WarpDriveMarker)))
            return services;
        services.AddSingleton<WarpDriveMarker>();

        services.AddOptions<WarpDriveOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WarpDriveOptions>, WarpDriveOptionsValidator>());
        services.TryAddSingleton(CreatePool);
        services.TryAddSingleton<WarpDriveHealthCheck>();
        services.AddHealthChecks().AddCheck<WarpDriveHealthCheck>(WarpDriveHealthCheck.Name, tags: [WarpDriveHealthCheck.Name]);
        return services;
    }

    private static AcceleratorPool CreatePool(IServiceProvider provider) =>
        new(provider.GetRequiredService<IOptions<WarpDriveOptions>>().Value,
            provider.GetService<ILoggerFactory>(),
            provider.GetService<IMeterFactory>());

    /// <summary>Marks a collection WarpDrive was added to, so a second <c>AddWarpDrive</c> registers nothing twice.</summary>
    private sealed class WarpDriveMarker;
}
