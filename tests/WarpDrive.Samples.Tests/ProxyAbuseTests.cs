using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using HttpsReverseProxy;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Samples.Tests;

/// <summary>
/// Clients that misbehave and upstreams that fail: each gets a clean error, the proxy keeps serving the others, and
/// its open connections and memory return to where they started. Runs alone, so the memory figures are its own.
/// </summary>
[Collection(nameof(ProxyAbuseAlone))]
public sealed class ProxyAbuseTests : IAsyncLifetime
{
    private RunningProxy? _proxy;

    private RunningProxy Proxy => _proxy!;

    public async ValueTask InitializeAsync() => _proxy = await RunningProxy.StartAsync("--handshake-timeout", "00:00:02");

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
            await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task Garbage_instead_of_a_ClientHello_is_closed_and_others_are_served()
    {
        long failures = Proxy.Statistics.HandshakeFailures;
        using var socket = await Connect();
        await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), TestContext.Current.CancellationToken);
        var answer = await ReadUntilClosed(socket, TimeSpan.FromSeconds(10));
        Assert.True(answer.Length == 0 || answer[0] == 0x15, "the proxy answered garbage with something but an alert");
        Assert.Equal(failures + 1, Proxy.Statistics.HandshakeFailures);
        await AssertStillServes();
    }

    [Fact]
    public async Task A_handshake_cut_in_half_times_out_and_the_connection_is_closed()
    {
        using var socket = await Connect();
        // A ClientHello record header announcing 512 bytes, then only 100 of them.
        var half = new byte[105];
        half[0] = 0x16;
        half[1] = 3;
        half[2] = 1;
        half[3] = 2;
        half[5] = 1;
        await socket.GetStream().WriteAsync(half, TestContext.Current.CancellationToken);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await ReadUntilClosed(socket, TimeSpan.FromSeconds(15));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(12));
        await AssertStillServes();
        await AssertConnectionsReturnTo(0);
    }

    [Fact]
    public async Task A_TLS_1_3_only_client_gets_a_protocol_version_alert()
    {
        var (code, _, stderr) = await ProcessRunner.RunTextAsync("openssl", $"s_client -tls1_3 -connect 127.0.0.1:{Proxy.Port}", "");
        Assert.NotEqual(0, code);
        Assert.Contains("alert protocol version", stderr, StringComparison.Ordinal);
        using var socket = await Connect();
        using var ssl = new SslStream(socket.GetStream());
        await Assert.ThrowsAnyAsync<AuthenticationException>(() => ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == Proxy.Certificate.Thumbprint,
        }, TestContext.Current.CancellationToken));
        await AssertStillServes();
    }

    [Fact]
    public async Task An_unsupported_cipher_list_gets_a_handshake_failure_alert()
    {
        var (code, _, stderr) = await ProcessRunner.RunTextAsync("openssl", $"s_client -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -connect 127.0.0.1:{Proxy.Port}", "");
        Assert.NotEqual(0, code);
        Assert.Contains("alert handshake failure", stderr, StringComparison.Ordinal);
        await AssertStillServes();
    }

    [Fact]
    public async Task A_client_that_stops_reading_does_not_stop_the_others()
    {
        using (var socket = await Connect())
        {
            using var ssl = new SslStream(socket.GetStream());
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls12,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == Proxy.Certificate.Thumbprint,
            }, TestContext.Current.CancellationToken);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes("GET /text/30000000 HTTP/1.1\r\nHost: localhost\r\n\r\n"), TestContext.Current.CancellationToken);
            await Task.Delay(1500, TestContext.Current.CancellationToken);
            // It reads nothing, while others are served.
            await AssertStillServes();
            await AssertStillServes();
        }
        await AssertConnectionsReturnTo(0);
    }

    [Fact]
    public async Task Two_thousand_connections_opened_and_dropped_leave_nothing_behind()
    {
        await AssertStillServes();
        long before = HeapAfterCollection();
        for (int batch = 0; batch < 20; batch++)
        {
            await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
            {
                using var socket = await Connect();
                if (i % 3 == 1)
                    await socket.GetStream().WriteAsync(new byte[] { 0x16, 3, 1, 0, 200, 1 }, TestContext.Current.CancellationToken); // a handshake begun
                socket.Client.Close(0); // dropped, with a reset where data was pending
            }));
        }
        await AssertConnectionsReturnTo(0);
        await AssertStillServes();
        long after = HeapAfterCollection();
        Assert.True(after - before < 32L << 20, $"the managed heap grew by {(after - before) >> 20} MiB");
    }

    [Fact]
    public async Task An_upstream_that_is_down_gives_502_and_a_slow_one_504()
    {
        await using (var down = await RunningProxy.StartWithUpstreamAsync("http://127.0.0.1:9"))
        {
            using var client = down.Client();
            using var response = await client.GetAsync("/text/100", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }
        await using (var impatient = await RunningProxy.StartAsync("--upstream-timeout", "00:00:01"))
        {
            using var client = impatient.Client();
            using var slow = await client.GetAsync("/slow/5000", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.GatewayTimeout, slow.StatusCode);
            Assert.Equal(DemoUpstream.Text(1000), await client.GetByteArrayAsync("/text/1000", TestContext.Current.CancellationToken));
        }
    }

    private async Task<TcpClient> Connect()
    {
        var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, Proxy.Port, TestContext.Current.CancellationToken);
        return socket;
    }

    private async Task AssertStillServes()
    {
        using var client = Proxy.Client(decompress: true);
        Assert.Equal(DemoUpstream.Text(20_000), await client.GetByteArrayAsync("/text/20000", TestContext.Current.CancellationToken));
    }

    private async Task AssertConnectionsReturnTo(long expected)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Proxy.Statistics.ConnectionsOpen != expected && clock.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(expected, Proxy.Statistics.ConnectionsOpen);
    }

    private static async Task<byte[]> ReadUntilClosed(TcpClient socket, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.GetStream().ReadAsync(buffer, timeout.Token)) > 0)
                received.Write(buffer, 0, n);
        }
        catch (IOException)
        {
            // reset: closed too
        }
        return received.ToArray();
    }

    private static long HeapAfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

/// <summary>The abuse tests measure connections and memory: nothing else runs beside them.</summary>
[CollectionDefinition(nameof(ProxyAbuseAlone), DisableParallelization = true)]
public sealed class ProxyAbuseAlone;
