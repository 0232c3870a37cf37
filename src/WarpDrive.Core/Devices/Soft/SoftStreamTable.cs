using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace WarpDrive.Devices.Soft;

/// <summary>
/// The soft engine's stream state: the codec behind each stream, found through the request's stream context
/// buffer as hardware finds its state there. A new stream gets an identifier written into its context buffer; later
/// requests read it back, so a stream continues on any queue of the device (a caller's thread may change between
/// requests) and survives the buffer being staged through a shared region. One table per device.
/// </summary>
internal sealed class SoftStreamTable : ISoftStreams, IDisposable
{
    /// <summary>Bytes of the context buffer the engine uses: a tag and the stream identifier.</summary>
    public const int ContextBytes = 16;

    private const ulong Tag = 0x5744_5354_524d_0001; // "WDSTRM", version 1
    private static long s_nextId;

    private readonly ConcurrentDictionary<long, IDisposable> _codecs = new();

    /// <inheritdoc />
    /// <remarks>A new stream gets a new identifier written into the context; a continuing one is unknown when its state was on another device, or the stream ended.</remarks>
    public T? Get<T>(Span<byte> context, bool newStream, Func<T> create) where T : class, IDisposable
    {
        if (newStream)
        {
            Release(context);
            long id = Interlocked.Increment(ref s_nextId);
            var codec = create();
            _codecs[id] = codec;
            BinaryPrimitives.WriteUInt64LittleEndian(context, Tag);
            BinaryPrimitives.WriteInt64LittleEndian(context[8..], id);
            return codec;
        }
        return IdOf(context) is long known && _codecs.TryGetValue(known, out var existing) ? existing as T : null;
    }

    /// <summary>Forgets a finished stream and clears its context.</summary>
    public void Release(Span<byte> context)
    {
        if (IdOf(context) is long id && _codecs.TryRemove(id, out var codec))
            codec.Dispose();
        context[..ContextBytes].Clear();
    }

    private static long? IdOf(ReadOnlySpan<byte> context) =>
        BinaryPrimitives.ReadUInt64LittleEndian(context) == Tag ? BinaryPrimitives.ReadInt64LittleEndian(context[8..]) : null;

    public void Dispose()
    {
        foreach (var id in _codecs.Keys)
        {
            if (_codecs.TryRemove(id, out var codec))
                codec.Dispose();
        }
    }
}
