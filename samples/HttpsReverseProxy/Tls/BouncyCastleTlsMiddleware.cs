using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using WarpDrive.Crypto;

namespace HttpsReverseProxy.Tls;

/// <summary>
/// Kestrel connection middleware that terminates TLS 1.2 with BouncyCastle's <see cref="TlsServerProtocol"/> in
/// non-blocking mode: ciphertext from the connection's pipe is offered to the protocol, records it produces are
/// written back, and the application (HTTP/1.1 or HTTP/2) reads and writes plaintext through a pipe pair in between. No thread
/// waits on a connection: every wait is an awaited pipe read or flush. The handshake's RSA private operation runs
/// inside <see cref="TlsProtocol.OfferInput(byte[], int, int)"/>, on WarpDrive when so configured.
/// </summary>
internal sealed class BouncyCastleTlsMiddleware(PemCredentials credentials, Microsoft.Extensions.Options.IOptions<ProxyOptions> configured, TlsRsaCore rsa,
    ProxyStatistics statistics, ILogger<BouncyCastleTlsMiddleware> logger)
{
    private readonly ProxyOptions _options = configured.Value;
    private readonly WarpDriveRsaCore _core = rsa.Core;

    // Thread-safe (its SecureRandom locks); shared by every connection, as is the parsed chain.
    private readonly BcTlsCrypto _crypto = new ProxyTlsCrypto(new SecureRandom());
    private Certificate? _chain;

    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        statistics.ConnectionOpened();
        try
        {
            var protocol = new TlsServerProtocol();
            _chain ??= new Certificate(credentials.Chain.Select(_crypto.CreateCertificate).ToArray());
            var server = new ProxyTlsServer(_crypto, _chain, credentials, _options.Rsa, _options.KeyExchange, _core);
            var transport = connection.Transport;
            using var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
            handshakeTimeout.CancelAfter(_options.HandshakeTimeout);
            try
            {
                protocol.Accept(server);
                await HandshakeAsync(protocol, transport, handshakeTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ConnectionResetException or InvalidOperationException)
            {
                statistics.HandshakeFailed();
                logger.HandshakeFailed(connection.ConnectionId, connection.RemoteEndPoint, e.Message);
                // The alert BouncyCastle raised (protocol_version, handshake_failure...) goes out before the close.
                try
                {
                    await TlsRecords.SendPendingAsync(protocol, transport.Output, statistics, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception gone) when (gone is IOException or ConnectionResetException or InvalidOperationException)
                {
                    // The client is gone: the connection is being torn down anyway.
                }
                await transport.Output.CompleteAsync().ConfigureAwait(false);
                return;
            }
            statistics.HandshakeCompleted();
            connection.Features.Set<ITlsConnectionFeature>(new TlsConnectionFeature());
            connection.Features.Set<ITlsApplicationProtocolFeature>(new ApplicationProtocolFeature(server));
            await using var tunnel = new TlsTunnel(protocol, transport, statistics, connection.ConnectionClosed);
            connection.Transport = tunnel.Application;
            var pumps = tunnel.RunAsync();
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                await tunnel.CompleteApplicationAsync().ConfigureAwait(false);
                await pumps.ConfigureAwait(false);
                connection.Transport = transport;
            }
            await DrainAsync(transport.Input).ConfigureAwait(false);
        }
        finally
        {
            statistics.ConnectionClosed();
        }
    }

    /// <summary>
    /// After close_notify: reads (and drops) what the client still sends — its own close_notify — until it closes or
    /// a second passes, so the socket closes with nothing unread (a reset would be sent otherwise, and a client may
    /// lose the response's tail to it).
    /// </summary>
    private static async Task DrainAsync(PipeReader input)
    {
        using var linger = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(linger.Token).ConfigureAwait(false);
                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                    return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
        {
            // Gone, or silent: close anyway.
        }
    }

    /// <summary>Feeds the client's records to the protocol and sends its answers until the handshake is done.</summary>
    private async Task HandshakeAsync(TlsServerProtocol protocol, IDuplexPipe transport, CancellationToken cancellationToken)
    {
        while (protocol.IsHandshaking)
        {
            var read = await transport.Input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            statistics.Received(buffer.Length);
            TlsRecords.Offer(protocol, buffer);
            transport.Input.AdvanceTo(buffer.End);
            await TlsRecords.SendPendingAsync(protocol, transport.Output, statistics, cancellationToken).ConfigureAwait(false);
            if (read.IsCompleted && protocol.IsHandshaking)
                throw new IOException("The client closed the connection during the handshake.");
        }
    }

    private sealed class TlsConnectionFeature : ITlsConnectionFeature
    {
        public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; set; }

        public Task<System.Security.Cryptography.X509Certificates.X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) =>
            Task.FromResult<System.Security.Cryptography.X509Certificates.X509Certificate2?>(null);
    }

    private sealed class ApplicationProtocolFeature(ProxyTlsServer server) : ITlsApplicationProtocolFeature
    {
        public ReadOnlyMemory<byte> ApplicationProtocol => server.NegotiatedProtocol;
    }
}
