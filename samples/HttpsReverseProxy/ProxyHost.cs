using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using HttpsReverseProxy.Tls;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using WarpDrive.Crypto;
using WarpDrive.Scheduling;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace HttpsReverseProxy;

/// <summary>
/// Builds the proxy: Kestrel on the configured address, TLS by BouncyCastle (connection middleware) or Kestrel,
/// gzip by WarpDrive or ASP.NET Core, YARP forwarding to the upstreams, <c>/metrics</c> and <c>/healthz</c>.
/// </summary>
internal static class ProxyHost
{
    /// <summary>Command-line switches and the configuration keys they set.</summary>
    private static readonly Dictionary<string, string> s_switches = new(StringComparer.Ordinal)
    {
        ["--listen"] = "Proxy:Listen",
        ["--upstream"] = "Proxy:Upstream",
        ["--cert"] = "Proxy:Certificate",
        ["--key"] = "Proxy:Key",
        ["--rsa"] = "Proxy:Rsa",
        ["--tls"] = "Proxy:Tls",
        ["--compression"] = "Proxy:Compression",
        ["--key-exchange"] = "Proxy:KeyExchange",
        ["--upstream-timeout"] = "Proxy:UpstreamTimeout",
        ["--statistics-interval"] = "Proxy:StatisticsInterval",
        ["--handshake-timeout"] = "Proxy:HandshakeTimeout",
    };

    /// <summary>
    /// The proxy, configured from appsettings.json, <c>Proxy__*</c> environment variables and <paramref name="args"/>
    /// (<c>--demo-upstream</c> is a flag; the others take a value).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddCommandLine(args.Select(a => a == "--demo-upstream" ? "--Proxy:DemoUpstream=true" : a).ToArray(), s_switches);
        builder.Services.AddOptions<ProxyOptions>().Bind(builder.Configuration.GetSection("Proxy"))
            .Validate(o => o.UpstreamUrls.All(u => Uri.TryCreate(u, UriKind.Absolute, out _)), "Proxy:Upstream holds a URL that is not absolute.")
            .ValidateOnStart();
        configure?.Invoke(builder);
        var options = builder.Configuration.GetSection("Proxy").Get<ProxyOptions>() ?? new ProxyOptions();

        builder.Services.AddWarpDrive();
        builder.Services.AddWarpDriveRsa();
        builder.Services.AddSingleton(provider => new TlsRsaCore(new WarpDriveRsaCore(provider.GetRequiredService<AcceleratorPool>())));
        builder.Services.AddSingleton(_ => PemCredentials.Load(options.Certificate, options.Key));
        builder.Services.AddSingleton<ProxyStatistics>();
        builder.Services.AddSingleton<PrometheusText>();
        builder.Services.AddSingleton<BouncyCastleTlsMiddleware>();
        builder.Services.AddSingleton<StatisticsLogger>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<StatisticsLogger>());
        AddCompression(builder.Services, options.Compression);
        builder.Services.AddReverseProxy().LoadFromMemory(Routes(options), Clusters(options));

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPEndPoint.Parse(options.Listen), listen =>
            {
                // HTTP/2 where ALPN agreed on h2 (Kestrel reads the middleware's ITlsApplicationProtocolFeature).
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                var credentials = listen.ApplicationServices.GetRequiredService<PemCredentials>();
                if (options.Tls == TlsChoice.Kestrel)
                {
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = credentials.Certificate;
                        https.SslProtocols = SslProtocols.Tls12; // like for like with the BouncyCastle server
                        if (options.KeyExchange != KeyExchangeChoice.Any)
                        {
                            https.OnAuthenticate = (_, ssl) =>
                            {
                                if (!OperatingSystem.IsWindows())
                                    ssl.CipherSuitesPolicy = KestrelSuites(options.KeyExchange);
                            };
                        }
                    });
                }
                else
                {
                    var tls = listen.ApplicationServices.GetRequiredService<BouncyCastleTlsMiddleware>();
                    listen.Use(next => connection => tls.OnConnectionAsync(connection, next));
                }
            });
        });

        var app = builder.Build();
        var statistics = app.Services.GetRequiredService<ProxyStatistics>();
        app.Use((context, next) =>
        {
            statistics.RequestServed();
            return next(context);
        });
        if (options.Compression != CompressionChoice.None)
        {
            app.UseResponseCompression();
            app.Use((context, next) =>
            {
                // A body about to be decompressed is longer than its Content-Length: forwarded without one (chunked).
                if (context.Request.Headers.ContentEncoding.Count > 0)
                    context.Request.Headers.ContentLength = null;
                return next(context);
            });
            app.UseRequestDecompression();
        }
        // Listening from the start, so /metrics counts every request.
        var metrics = app.Services.GetRequiredService<PrometheusText>();
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapHealthChecks("/healthz");
        app.MapReverseProxy();
        return app;
    }

    /// <summary>Runs the proxy (and the demo upstream when asked) until Ctrl-C.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--generate-cert", ..])
        {
            string directory = args.Length > 1 ? args[1] : ".";
            Directory.CreateDirectory(directory);
            PemCredentials.Generate(Path.Combine(directory, "cert.pem"), Path.Combine(directory, "key.pem"));
            Console.WriteLine($"Wrote {Path.Combine(directory, "cert.pem")} and {Path.Combine(directory, "key.pem")} (self-signed, CN=localhost, RSA-2048).");
            return 0;
        }
        WebApplication? upstream = null;
        if (args.Contains("--demo-upstream"))
        {
            upstream = await DemoUpstream.StartAsync();
            args = [.. args, "--upstream", DemoUpstream.Address(upstream)];
        }
        try
        {
            await using var app = Build(args);
            await app.StartAsync();
            var options = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HttpsReverseProxy")
                .Listening(string.Join(", ", app.Urls.Select(u => u.Replace("http://", "https://", StringComparison.Ordinal))), options.Tls, options.Rsa, options.Compression, options.Upstream);
            await app.WaitForShutdownAsync();
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or OptionsValidationException or FormatException)
        {
            await Console.Error.WriteLineAsync($"HttpsReverseProxy: {e.Message}");
            return 1;
        }
        finally
        {
            if (upstream is not null)
                await upstream.DisposeAsync();
        }
    }

    /// <summary>The suites Kestrel's own TLS offers when one key exchange is asked for (the BouncyCastle server's set).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static CipherSuitesPolicy KestrelSuites(KeyExchangeChoice keyExchange) => new(keyExchange == KeyExchangeChoice.Rsa
        ? [TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384]
        : [TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]);

    private static void AddCompression(IServiceCollection services, CompressionChoice compression)
    {
        string[] types = [.. ResponseCompressionDefaults.MimeTypes, "application/javascript", "image/svg+xml"];
        switch (compression)
        {
            case CompressionChoice.WarpDrive:
                services.AddWarpDriveResponseCompression(o =>
                {
                    o.EnableForHttps = true;
                    o.MimeTypes = types;
                });
                services.AddWarpDriveRequestDecompression();
                break;
            case CompressionChoice.Builtin:
                services.AddResponseCompression(o =>
                {
                    o.EnableForHttps = true;
                    o.MimeTypes = types;
                    o.Providers.Add<GzipCompressionProvider>();
                });
                services.AddRequestDecompression();
                break;
        }
    }

    private static RouteConfig[] Routes(ProxyOptions options)
    {
        var route = new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "{**path}" } };
        // The proxy compresses: the upstream is asked for identity, so what it sends is what the proxy gzips.
        if (options.Compression != CompressionChoice.None)
            route = route.WithTransformRequestHeaderRemove("Accept-Encoding");
        return [route];
    }

    private static ClusterConfig[] Clusters(ProxyOptions options) =>
    [
        new ClusterConfig
        {
            ClusterId = "upstream",
            LoadBalancingPolicy = "RoundRobin",
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = options.UpstreamTimeout },
            Destinations = options.UpstreamUrls.Select((url, i) => (url, i))
                .ToDictionary(d => $"upstream-{d.i}", d => new DestinationConfig { Address = d.url }),
        },
    ];
}
