using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HttpsReverseProxy;
using HttpsReverseProxy.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WarpDrive.Samples.Tests;

/// <summary>
/// A running proxy on 127.0.0.1 (a free port) in front of the demo upstream, with a fresh self-signed pair: what
/// the README's one command starts. Extra arguments select the switches under test.
/// </summary>
internal sealed class RunningProxy : IAsyncDisposable
{
    private readonly string _dir;
    private readonly WebApplication _upstream;

    private RunningProxy(string dir, WebApplication upstream, WebApplication proxy, X509Certificate2 certificate)
    {
        _dir = dir;
        _upstream = upstream;
        App = proxy;
        Certificate = certificate;
        Address = new Uri(proxy.Urls.First().Replace("http://", "https://", StringComparison.Ordinal));
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public int Port => Address.Port;

    public X509Certificate2 Certificate { get; }

    public string CertificatePath => Path.Combine(_dir, "cert.pem");

    public ProxyStatistics Statistics => App.Services.GetRequiredService<ProxyStatistics>();

    /// <summary>Starts the demo upstream and the proxy in front of it.</summary>
    public static Task<RunningProxy> StartAsync(params string[] args) => StartWithUpstreamAsync(null, args);

    /// <summary>Starts the proxy in front of <paramref name="upstream"/> (the demo upstream when null).</summary>
    public static async Task<RunningProxy> StartWithUpstreamAsync(string? upstream, params string[] args)
    {
        string dir = Directory.CreateTempSubdirectory("wd-proxy-").FullName;
        PemCredentials.Generate(Path.Combine(dir, "cert.pem"), Path.Combine(dir, "key.pem"));
        var demo = await DemoUpstream.StartAsync();
        var proxy = ProxyHost.Build(
            ["--listen", "127.0.0.1:0", "--upstream", upstream ?? DemoUpstream.Address(demo), "--cert", Path.Combine(dir, "cert.pem"), "--key", Path.Combine(dir, "key.pem"), .. args],
            builder => builder.Logging.ClearProviders());
        await proxy.StartAsync();
        return new RunningProxy(dir, demo, proxy, X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dir, "cert.pem"))));
    }

    /// <summary>An HttpClient that speaks TLS 1.2 only and trusts exactly this proxy's certificate.</summary>
    public HttpClient Client(bool decompress = false, int maxConnections = 16, TlsCipherSuite[]? suites = null)
    {
        string thumbprint = Certificate.Thumbprint;
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = decompress ? DecompressionMethods.GZip : DecompressionMethods.None,
            MaxConnectionsPerServer = maxConnections,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls12,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint,
                // .NET offers no RSA key exchange by default: a test of it names the suite.
                CipherSuitesPolicy = suites is null || OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(suites),
            },
        };
        return new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The response's body as the upstream sent it: gunzipped where it came gzipped.</summary>
    public static async Task<byte[]> DecodedBodyAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        if (!response.Content.Headers.ContentEncoding.Contains("gzip"))
            return body;
        using var inflate = new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress);
        var plain = new MemoryStream();
        await inflate.CopyToAsync(plain, TestContext.Current.CancellationToken);
        return plain.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await _upstream.DisposeAsync();
        Certificate.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
