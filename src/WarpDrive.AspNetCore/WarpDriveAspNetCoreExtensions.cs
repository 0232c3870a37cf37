using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.RequestDecompression;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WarpDrive.AspNetCore;
using WarpDrive.Compression;
using WarpDrive.Scheduling;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers WarpDrive compression with ASP.NET Core and the HttpClient factory.</summary>
public static class WarpDriveAspNetCoreExtensions
{
    /// <summary>
    /// Adds response compression with WarpDrive's gzip and deflate providers (ahead of any others), then
    /// <paramref name="configure"/>. Use with <c>app.UseResponseCompression()</c>. The providers run on the pool
    /// <c>AddWarpDrive()</c> registers, if any; the options are validated when the host starts.
    /// </summary>
    public static IServiceCollection AddWarpDriveResponseCompression(this IServiceCollection services,
        Action<ResponseCompressionOptions>? configure = null, Action<WarpDriveResponseCompressionOptions>? configureWarpDrive = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WarpDriveResponseCompressionOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WarpDriveResponseCompressionOptions>, ResponseCompressionOptionsValidator>());
        if (configureWarpDrive is not null)
            services.Configure(configureWarpDrive);
        services.AddResponseCompression(options =>
        {
            options.Providers.Add<WarpDriveGzipCompressionProvider>();
            options.Providers.Add<WarpDriveDeflateCompressionProvider>();
            configure?.Invoke(options);
        });
        return services;
    }

    /// <summary>
    /// Adds request decompression of gzip and deflate bodies through WarpDrive, on the pool <c>AddWarpDrive()</c>
    /// registers, if any. Use with <c>app.UseRequestDecompression()</c>.
    /// </summary>
    public static IServiceCollection AddWarpDriveRequestDecompression(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRequestDecompression();
        services.AddOptions<RequestDecompressionOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            var pool = provider.GetService<AcceleratorPool>();
            options.DecompressionProviders["gzip"] = new WarpDriveGzipDecompressionProvider(pool);
            options.DecompressionProviders["deflate"] = new WarpDriveDeflateDecompressionProvider(pool);
        });
        return services;
    }

    /// <summary>Puts <see cref="WarpDriveDecompressionHandler"/> into a named or typed HttpClient's pipeline.</summary>
    public static IHttpClientBuilder AddWarpDriveDecompression(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddTransient(provider => new WarpDriveDecompressionHandler(provider.GetService<AcceleratorPool>()));
        return builder.AddHttpMessageHandler<WarpDriveDecompressionHandler>();
    }
}

/// <summary>Checks <see cref="WarpDriveResponseCompressionOptions"/> when the host starts, not on the first response.</summary>
internal sealed class ResponseCompressionOptionsValidator : IValidateOptions<WarpDriveResponseCompressionOptions>
{
    public ValidateOptionsResult Validate(string? name, WarpDriveResponseCompressionOptions options)
    {
        if (!Enum.IsDefined(options.Level))
            return ValidateOptionsResult.Fail($"WarpDriveResponseCompressionOptions.Level is not a compression level ({options.Level}).");
        try
        {
            options.Compression?.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"WarpDriveResponseCompressionOptions.Compression: {e.Message}");
        }
    }
}
