namespace HttpsReverseProxy;

/// <summary>The proxy's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Connection {ConnectionId} from {Remote}: TLS handshake failed: {Reason}")]
    public static partial void HandshakeFailed(this ILogger logger, string connectionId, System.Net.EndPoint? remote, string reason);

    [LoggerMessage(2, LogLevel.Information,
        "Proxy: {Handshakes} handshakes ({HandshakeFailures} failed), {Requests} requests, {BytesIn} bytes in, {BytesOut} bytes out, " +
        "{Connections} connections open; RSA: {RsaOperations} private operations, {RsaOnDevice} on {RsaDevice}, {RsaFaults} device faults; " +
        "compression: {CompressionRequests}, fallbacks: {Fallbacks}")]
    public static partial void Statistics(this ILogger logger, long handshakes, long handshakeFailures, long requests, long bytesIn, long bytesOut,
        long connections, long rsaOperations, long rsaOnDevice, string rsaDevice, long rsaFaults, string compressionRequests, string fallbacks);

    [LoggerMessage(3, LogLevel.Information, "Listening on {Endpoint} (TLS {Tls}, RSA {Rsa}, compression {Compression}), forwarding to {Upstream}")]
    public static partial void Listening(this ILogger logger, string endpoint, TlsChoice tls, RsaChoice rsa, CompressionChoice compression, string upstream);
}
