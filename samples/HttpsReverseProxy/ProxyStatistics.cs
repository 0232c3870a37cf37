using System.Diagnostics.Metrics;

namespace HttpsReverseProxy;

/// <summary>
/// What the proxy did: connections, TLS handshakes, requests and bytes. Published on the meter
/// <c>HttpsReverseProxy</c> (so <c>/metrics</c> exports them beside WarpDrive's <c>warpdrive.*</c>) and read by the
/// statistics log line.
/// </summary>
internal sealed class ProxyStatistics : IDisposable
{
    public const string MeterName = "HttpsReverseProxy";

    private readonly Meter _meter;
    private long _connectionsOpen;
    private long _handshakes;
    private long _handshakeFailures;
    private long _requests;
    private long _bytesIn;
    private long _bytesOut;

    public ProxyStatistics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _meter.CreateObservableUpDownCounter("proxy.connections.open", () => Volatile.Read(ref _connectionsOpen), "{connection}", "Client connections open.");
        _meter.CreateObservableCounter("proxy.tls.handshakes", () => Volatile.Read(ref _handshakes), "{handshake}", "TLS handshakes completed.");
        _meter.CreateObservableCounter("proxy.tls.handshake_failures", () => Volatile.Read(ref _handshakeFailures), "{handshake}", "TLS handshakes that failed or timed out.");
        _meter.CreateObservableCounter("proxy.requests", () => Volatile.Read(ref _requests), "{request}", "HTTP requests served.");
        _meter.CreateObservableCounter("proxy.bytes.in", () => Volatile.Read(ref _bytesIn), "By", "Bytes received from clients (TLS records).");
        _meter.CreateObservableCounter("proxy.bytes.out", () => Volatile.Read(ref _bytesOut), "By", "Bytes sent to clients (TLS records).");
    }

    public long ConnectionsOpen => Volatile.Read(ref _connectionsOpen);
    public long Handshakes => Volatile.Read(ref _handshakes);
    public long HandshakeFailures => Volatile.Read(ref _handshakeFailures);
    public long Requests => Volatile.Read(ref _requests);
    public long BytesIn => Volatile.Read(ref _bytesIn);
    public long BytesOut => Volatile.Read(ref _bytesOut);

    public void ConnectionOpened() => Interlocked.Increment(ref _connectionsOpen);
    public void ConnectionClosed() => Interlocked.Decrement(ref _connectionsOpen);
    public void HandshakeCompleted() => Interlocked.Increment(ref _handshakes);
    public void HandshakeFailed() => Interlocked.Increment(ref _handshakeFailures);
    public void RequestServed() => Interlocked.Increment(ref _requests);
    public void Received(long bytes) => Interlocked.Add(ref _bytesIn, bytes);
    public void Sent(long bytes) => Interlocked.Add(ref _bytesOut, bytes);

    public void Dispose() => _meter.Dispose();
}
