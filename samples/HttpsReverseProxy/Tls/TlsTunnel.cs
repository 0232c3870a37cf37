using System.Buffers;
using System.IO.Pipelines;
using Org.BouncyCastle.Tls;

namespace HttpsReverseProxy.Tls;

/// <summary>
/// After the handshake: plaintext for the application through <see cref="Application"/>, records to and from the
/// client through the connection's transport. Two pumps share the protocol under one gate (BouncyCastle's protocol is
/// not thread-safe, and both may produce records): client → protocol → application, and application → protocol →
/// client. Either side closing ends both; close_notify goes out when the application is done.
/// </summary>
internal sealed class TlsTunnel : IAsyncDisposable
{
    private const int MaxPlaintextChunk = 16 * 1024;

    private readonly TlsProtocol _protocol;
    private readonly IDuplexPipe _transport;
    private readonly ProxyStatistics _statistics;
    private readonly Pipe _toApplication = new(new PipeOptions(pauseWriterThreshold: 256 * 1024, resumeWriterThreshold: 128 * 1024, useSynchronizationContext: false));
    private readonly Pipe _fromApplication = new(new PipeOptions(pauseWriterThreshold: 256 * 1024, resumeWriterThreshold: 128 * 1024, useSynchronizationContext: false));
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _closed;

    public TlsTunnel(TlsProtocol protocol, IDuplexPipe transport, ProxyStatistics statistics, CancellationToken connectionClosed)
    {
        _protocol = protocol;
        _transport = transport;
        _statistics = statistics;
        _closed = CancellationTokenSource.CreateLinkedTokenSource(connectionClosed);
        Application = new DuplexPipe(_toApplication.Reader, _fromApplication.Writer);
    }

    /// <summary>The plaintext side, handed to Kestrel as the connection's transport.</summary>
    public IDuplexPipe Application { get; }

    /// <summary>Runs both pumps until the connection ends.</summary>
    public async Task RunAsync()
    {
        var inbound = PumpInboundAsync();
        var outbound = PumpOutboundAsync();
        await Task.WhenAll(inbound, outbound).ConfigureAwait(false);
    }

    /// <summary>Client records → protocol → plaintext for the application.</summary>
    private async Task PumpInboundAsync()
    {
        var token = _closed.Token;
        byte[] plain = ArrayPool<byte>.Shared.Rent(MaxPlaintextChunk);
        Exception? error = null;
        try
        {
            while (true)
            {
                var read = await _transport.Input.ReadAsync(token).ConfigureAwait(false);
                var buffer = read.Buffer;
                _statistics.Received(buffer.Length);
                await _gate.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    TlsRecords.Offer(_protocol, buffer);
                    _transport.Input.AdvanceTo(buffer.End);
                    await TlsRecords.SendPendingAsync(_protocol, _transport.Output, _statistics, token).ConfigureAwait(false);
                    // Only this pump writes to the application, so copying (which never waits) under the gate keeps
                    // the order; the flush below, which waits for a slow application, does not hold the gate, or
                    // an application busy writing its response could never get its bytes out.
                    int n;
                    while ((n = _protocol.ReadInput(plain, 0, plain.Length)) > 0)
                        _toApplication.Writer.Write(plain.AsSpan(0, n));
                }
                finally
                {
                    _gate.Release();
                }
                var flushed = await _toApplication.Writer.FlushAsync(token).ConfigureAwait(false);
                if (read.IsCompleted || _protocol.IsClosed || flushed.IsCompleted)
                    break;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // A bad record (BouncyCastle raised an alert), a reset, or the connection closing: the application's
            // input ends with it.
            error = e is OperationCanceledException ? null : e;
            await _closed.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain);
            await _toApplication.Writer.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    /// <summary>Application plaintext → protocol → records for the client; close_notify at the end.</summary>
    private async Task PumpOutboundAsync()
    {
        var token = _closed.Token;
        byte[] chunk = ArrayPool<byte>.Shared.Rent(MaxPlaintextChunk);
        try
        {
            while (true)
            {
                var read = await _fromApplication.Reader.ReadAsync(token).ConfigureAwait(false);
                var buffer = read.Buffer;
                await _gate.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    while (!buffer.IsEmpty)
                    {
                        int n = (int)Math.Min(buffer.Length, chunk.Length);
                        buffer.Slice(0, n).CopyTo(chunk);
                        _protocol.WriteApplicationData(chunk, 0, n);
                        buffer = buffer.Slice(n);
                    }
                    await TlsRecords.SendPendingAsync(_protocol, _transport.Output, _statistics, token).ConfigureAwait(false);
                }
                finally
                {
                    _gate.Release();
                }
                _fromApplication.Reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                    break;
            }
            // The application is done: close_notify, then the connection's output ends.
            await _gate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                if (!_protocol.IsClosed)
                    _protocol.Close();
                await TlsRecords.SendPendingAsync(_protocol, _transport.Output, _statistics, token).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // The client went away or sent a fatal alert: nothing more can be sent.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            await _closed.CancelAsync().ConfigureAwait(false);
            await _fromApplication.Reader.CompleteAsync().ConfigureAwait(false);
            await _transport.Output.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The application is done with the connection (Kestrel returned from it): what it wrote goes out, then
    /// close_notify, and the client's side is no longer read for it.
    /// </summary>
    public async Task CompleteApplicationAsync()
    {
        await _fromApplication.Writer.CompleteAsync().ConfigureAwait(false);
        await _toApplication.Reader.CompleteAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync().ConfigureAwait(false);
        _closed.Dispose();
        _gate.Dispose();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
