using System.Buffers;
using System.IO.Pipelines;
using Org.BouncyCastle.Tls;

namespace HttpsReverseProxy.Tls;

/// <summary>Moving records between a connection's pipes and BouncyCastle's non-blocking protocol, both directions.</summary>
internal static class TlsRecords
{
    /// <summary>Offers the client's bytes to the protocol, which decrypts and processes every whole record.</summary>
    public static void Offer(TlsProtocol protocol, ReadOnlySequence<byte> buffer)
    {
        foreach (var segment in buffer)
        {
            // BouncyCastle takes arrays: the segment's own when it is one, else a pooled copy.
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(segment, out var array))
            {
                protocol.OfferInput(array.Array!, array.Offset, array.Count);
                continue;
            }
            var copy = ArrayPool<byte>.Shared.Rent(segment.Length);
            try
            {
                segment.Span.CopyTo(copy);
                protocol.OfferInput(copy, 0, segment.Length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
    }

    /// <summary>Writes the records the protocol has produced to the client and flushes (one writer at a time).</summary>
    /// <exception cref="IOException">The client stopped reading.</exception>
    public static async ValueTask SendPendingAsync(TlsProtocol protocol, PipeWriter output, ProxyStatistics statistics, CancellationToken cancellationToken)
    {
        int pending = protocol.GetAvailableOutputBytes();
        if (pending == 0)
            return;
        while (pending > 0)
        {
            var memory = output.GetMemory(Math.Min(pending, 64 * 1024));
            int n = Math.Min(pending, memory.Length);
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(memory, out var segment))
            {
                protocol.ReadOutput(segment.Array!, segment.Offset, n);
            }
            else
            {
                var copy = new byte[n];
                protocol.ReadOutput(copy, 0, n);
                copy.CopyTo(memory);
            }
            output.Advance(n);
            pending -= n;
            statistics.Sent(n);
        }
        var flushed = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (flushed.IsCompleted)
            throw new IOException("The client stopped reading.");
    }
}
