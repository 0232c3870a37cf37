using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WarpDrive.Compression.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers WarpDrive compression with ASP.NET Core and the HttpClient factory.</summary>
public static class WarpDriveAspNetCoreExtensions
{
    /// <summary>
    /// Adds response compression with WarpDrive's gzip and deflate providers (ahead of any others), then
    /// <paramref name="configure"/>. Use with <c>app.UseResponseCompression()</c>.
    /// </summary>
    public static IServiceCollection AddWarpDriveResponseCompression(this IServiceCollection services,
        Action<ResponseCompressionOptions>? configure = null, Action<WarpDriveResponseCompressionOptions>? configureWarpDrive = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WarpDriveResponseCompressionOptions>();
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

    /// <summary>Adds request decompression of gzip and deflate bodies through WarpDrive. Use with <c>app.UseRequestDecompression()</c>.</summary>
    public static IServiceCollection AddWarpDriveRequestDecompression(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRequestDecompression(options =>
        {
            options.DecompressionProviders["gzip"] = new WarpDriveGzipDecompressionProvider();
            options.DecompressionProviders["deflate"] = new WarpDriveDeflateDecompressionProvider();
        });
        return services;
    }

    /// <summary>Puts <see cref="WarpDriveDecompressionHandler"/> into a named or typed HttpClient's pipeline.</summary>
    public static IHttpClientBuilder AddWarpDriveDecompression(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddTransient<WarpDriveDecompressionHandler>();
        return builder.AddHttpMessageHandler<WarpDriveDecompressionHandler>();
    }
}
