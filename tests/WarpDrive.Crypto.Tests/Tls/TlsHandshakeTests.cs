using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Org.BouncyCastle.Tls;
using WarpDrive.Crypto.Tests.Infrastructure;

namespace WarpDrive.Crypto.Tests.Tls;

/// <summary>
/// A .NET SslStream client completes a TLS 1.2 handshake over a real loopback socket with a BouncyCastle server
/// whose RSA private operation — the ServerKeyExchange signature (ECDHE_RSA) or the pre-master secret decryption
/// (RSA key exchange) — runs on the WarpDrive queue.
/// </summary>
public sealed class TlsHandshakeTests
{
    [Theory]
    [InlineData(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256)]
    public async Task Dotnet_client_handshakes_with_a_BouncyCastle_server_whose_private_operation_runs_on_the_queue(int suite, TlsCipherSuite dotnetSuite)
    {
        var core = new WarpDriveRsaCore(TestPool.Shared);
        using var server = new TlsLoopbackServer([suite], core);
        var serving = server.ServeOneAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, server.Port, cts.Token);
        string expectedThumbprint = server.Certificate.Thumbprint;
        using var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12,
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == expectedThumbprint,
        };
        // Where policies exist (Linux, macOS) the client offers only the suite under test; elsewhere the server's choice decides.
        if (!OperatingSystem.IsWindows())
            options.CipherSuitesPolicy = new CipherSuitesPolicy([dotnetSuite]);
        await ssl.AuthenticateAsClientAsync(options, cts.Token);
        Assert.Equal(SslProtocols.Tls12, ssl.SslProtocol);
        Assert.Equal(dotnetSuite, ssl.NegotiatedCipherSuite);

        var hello = Encoding.ASCII.GetBytes("hello over warpdrive\n");
        await ssl.WriteAsync(hello, cts.Token);
        var echo = new byte[hello.Length];
        await ssl.ReadExactlyAsync(echo, cts.Token);
        Assert.Equal(hello, echo);
        await serving.WaitAsync(cts.Token);

        Assert.Equal(suite, server.SelectedCipherSuite);
        // OpenSSL (SslStream's engine here) offers rsa_pss_rsae_* before PKCS #1 pairs: ECDHE_RSA is signed with PSS.
        if (suite == CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 && !OperatingSystem.IsWindows())
            Assert.True(SignatureScheme.IsRsaPss(SignatureScheme.From(server.SignedWith!)), $"signed with {server.SignedWith}");
        Assert.Equal(1, core.Statistics.PrivateOperations);
        Assert.Equal(1, core.Statistics.DeviceOperations);
        Assert.Equal("soft-0", core.Statistics.LastServedBy);
    }
}
