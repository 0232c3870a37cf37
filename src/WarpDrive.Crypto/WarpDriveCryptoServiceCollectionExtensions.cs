using WarpDrive.Crypto;
using WarpDrive.Scheduling;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers WarpDrive's RSA types in a service collection, on the pool <c>AddWarpDrive()</c> registers.</summary>
public static class WarpDriveCryptoServiceCollectionExtensions
{
    /// <summary>
    /// Adds WarpDrive (<c>AddWarpDrive()</c>, if not added yet) and transient <see cref="WarpDriveRsaCore"/> and
    /// <see cref="WarpDriveRsaEngine"/> services on its <see cref="AcceleratorPool"/>, so signatures, decryptions and
    /// the TLS credentials built on a resolved core run on the pool the host's health check and metrics describe.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddWarpDriveRsa(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddWarpDrive();
        // Factories, not constructor discovery: both types have several one-argument constructors.
        services.AddTransient(provider => new WarpDriveRsaCore(provider.GetRequiredService<AcceleratorPool>()));
        services.AddTransient(provider => new WarpDriveRsaEngine(provider.GetRequiredService<WarpDriveRsaCore>()));
        return services;
    }
}
