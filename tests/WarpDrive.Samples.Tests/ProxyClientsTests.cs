using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using HttpsReverseProxy;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Samples.Tests;

/// <summary>
/// Real clients through the proxy's BouncyCastle TLS 1.2 (RSA on WarpDrive) and WarpDrive gzip, over loopback
/// sockets: HttpClient, curl and openssl s_client receive exactly what the upstream sent.
/// </summary>
public sealed class ProxyClientsTests : IAsyncLifetime
{
    private RunningProxy? _proxy;

    private RunningProxy Proxy => _proxy!;

    public async ValueTask InitializeAsync() => _proxy = await RunningProxy.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
            await _proxy.DisposeAsync();
    }

    [Theory]
    [InlineData("/text/100", true)]
    [InlineData("/text/100", false)]
    [InlineData("/text/3000000", true)]
    [InlineData("/text/3000000", false)]
    [InlineData("/json/200000", true)]
    [InlineData("/chunked/500000", true)]
    [InlineData("/chunked/500000", false)]
    public async Task HttpClient_over_TLS_1_2_gets_what_the_upstream_sent(string path, bool gzip)
    {
        using var client = Proxy.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (gzip)
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        if (gzip)
            Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        else
            Assert.Empty(response.Content.Headers.ContentEncoding);
        var body = await RunningProxy.DecodedBodyAsync(response);
        Assert.Equal(Expected(path), body);
        Assert.True(Proxy.Statistics.Handshakes >= 1);
    }

    [Fact]
    public async Task A_gzip_request_body_reaches_the_upstream_decompressed()
    {
        var original = DemoUpstream.Text(1_000_000);
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(original);
        using var client = Proxy.Client();
        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentEncoding.Add("gzip");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await client.PostAsync("/echo", content, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal(original, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Two_hundred_concurrent_clients_each_get_their_bytes()
    {
        using var client = Proxy.Client(decompress: true, maxConnections: 200);
        long before = Proxy.Statistics.Handshakes;
        var sizes = Enumerable.Range(0, 200).Select(i => 1000 + (i * 997 % 50_000)).ToArray();
        var results = await Task.WhenAll(sizes.Select(async size =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/text/{size}");
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return (size, body: await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }));
        Assert.All(results, r => Assert.Equal(DemoUpstream.Text(r.size), r.body));
        Assert.True(Proxy.Statistics.Handshakes - before > 20, $"only {Proxy.Statistics.Handshakes - before} connections were made");
    }

    [Theory]
    [InlineData("/text/100000", true)]
    [InlineData("/text/100000", false)]
    [InlineData("/chunked/300000", true)]
    public async Task Curl_over_TLS_1_2_gets_what_the_upstream_sent(string path, bool compressed)
    {
        string output = Path.GetTempFileName();
        try
        {
            string args = $"-s --fail --tlsv1.2 --tls-max 1.2 --cacert {Proxy.CertificatePath} {(compressed ? "--compressed" : "")} -o {output} -w %{{content_type}}|%{{size_download}} https://localhost:{Proxy.Port}{path}";
            var (code, stdout, stderr) = await ProcessRunner.RunTextAsync("curl", args);
            Assert.True(code == 0, $"curl exited {code}: {stderr}");
            Assert.Equal(Expected(path), await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken));
            long downloaded = long.Parse(stdout.Split('|')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(compressed ? downloaded < Expected(path).Length / 2 : downloaded == Expected(path).Length, $"{downloaded} bytes on the wire");
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task HTTP_2_is_negotiated_with_ECDHE_and_carries_the_same_bytes()
    {
        using var client = Proxy.Client(decompress: true);
        // Eight streams at once on the one HTTP/2 connection.
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/text/300000") { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return (response.Version, Body: await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }));
        Assert.All(responses, r => Assert.Equal(System.Net.HttpVersion.Version20, r.Version));
        Assert.All(responses, r => Assert.Equal(DemoUpstream.Text(300_000), r.Body));

        // curl asks for h2 too; with the RSA key exchange (which HTTP/2 forbids) the proxy answers in HTTP/1.1.
        var (code, stdout, stderr) = await ProcessRunner.RunTextAsync("curl", $"-s --fail --http2 --cacert {Proxy.CertificatePath} -o /dev/null -w %{{http_version}} https://localhost:{Proxy.Port}/text/1000");
        Assert.True(code == 0, stderr);
        Assert.Equal("2", stdout);
        (code, stdout, stderr) = await ProcessRunner.RunTextAsync("curl", $"-s --fail --http2 --tls-max 1.2 --ciphers AES128-GCM-SHA256 --cacert {Proxy.CertificatePath} -o /dev/null -w %{{http_version}} https://localhost:{Proxy.Port}/text/1000");
        Assert.True(code == 0, stderr);
        Assert.Equal("1.1", stdout);
    }

    [Fact]
    public async Task Openssl_s_client_speaks_TLS_1_2_and_gets_the_bytes()
    {
        string request = "GET /text/5000 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        var (code, stdout, stderr) = await ProcessRunner.RunTextAsync("openssl", $"s_client -tls1_2 -quiet -connect 127.0.0.1:{Proxy.Port} -servername localhost", request);
        Assert.True(code == 0, $"openssl exited {code}: {stderr}");
        int split = stdout.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", stdout, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetString(DemoUpstream.Text(5000)), stdout[(split + 4)..]);
    }

    [Fact]
    public async Task Metrics_and_health_describe_what_ran()
    {
        using var client = Proxy.Client(decompress: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/text/200000");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        (await client.SendAsync(request, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        Assert.Equal("Healthy", await client.GetStringAsync("/healthz", TestContext.Current.CancellationToken));
        var metrics = await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Matches(@"\nproxy_tls_handshakes_total [1-9]", metrics);
        Assert.Matches(@"\nproxy_requests_total [1-9]", metrics);
        Assert.Matches(@"\nwarpdrive_requests_total\{warpdrive_algorithm=""rsa"",warpdrive_device=""soft-0""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"\nwarpdrive_requests_total\{warpdrive_algorithm=""gzip""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"\n# TYPE warpdrive_request_duration summary\n", metrics);
    }

    private static byte[] Expected(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int length = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        return parts[0] == "json" ? DemoUpstream.Json(length) : DemoUpstream.Text(length);
    }
}
