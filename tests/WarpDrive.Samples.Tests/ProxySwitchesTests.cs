using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using HttpsReverseProxy;
using Microsoft.Extensions.DependencyInjection;

namespace WarpDrive.Samples.Tests;

/// <summary>
/// Each comparison switch gives the same bytes to the client, and the work lands where the switch says: RSA on
/// WarpDrive or not, gzip or not, each key exchange on its own.
/// </summary>
public sealed class ProxySwitchesTests
{
    [Theory]
    [InlineData("--rsa", "warpdrive", true, true)]
    [InlineData("--rsa", "bouncycastle", false, true)]
    [InlineData("--tls", "kestrel", false, true)]
    [InlineData("--compression", "builtin", true, true)]
    [InlineData("--compression", "none", true, false)]
    [InlineData("--key-exchange", "ecdhe", true, true)]
    [InlineData("--key-exchange", "rsa", true, true)]
    public async Task Every_switch_serves_the_same_bytes(string option, string value, bool rsaOnWarpDrive, bool gzipped)
    {
        await using var proxy = await RunningProxy.StartAsync(option, value);
        using var client = proxy.Client(suites: value == "rsa" ? [TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256] : null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/text/300000");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        if (gzipped)
            Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        else
            Assert.Empty(response.Content.Headers.ContentEncoding);
        var body = await RunningProxy.DecodedBodyAsync(response);
        Assert.Equal(DemoUpstream.Text(300_000), body);
        long rsaOperations = proxy.App.Services.GetRequiredService<TlsRsaCore>().Core.Statistics.PrivateOperations;
        Assert.Equal(rsaOnWarpDrive, rsaOperations > 0);
    }

    [Theory]
    [InlineData("rsa", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData("ecdhe", TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_key_exchange_switched_off_is_refused(string keyExchange, TlsCipherSuite otherSuite)
    {
        await using var proxy = await RunningProxy.StartAsync("--key-exchange", keyExchange);
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, proxy.Port, TestContext.Current.CancellationToken);
        using var ssl = new SslStream(socket.GetStream());
        await Assert.ThrowsAnyAsync<AuthenticationException>(() => ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12,
            CipherSuitesPolicy = new CipherSuitesPolicy([otherSuite]),
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == proxy.Certificate.Thumbprint,
        }, TestContext.Current.CancellationToken));
    }
}
