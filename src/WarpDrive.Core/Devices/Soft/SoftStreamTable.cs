using System.Collections.Concurrent;
using WarpDrive.Codecs;

namespace WarpDrive.Devices.Soft;

/// <summary>
/// The soft engine's per-queue stream state: the codec behind each stream-context address, the equivalent of
/// what hardware keeps in the 64 KiB context buffer.
/// </summary>
internal sealed class SoftStreamTable : IDisposable
{
    private readonly ConcurrentDictionary<ulong, IDisposable> _codecs = new();

    /// <summary>The codec for <paramref name="context"/>; a new one when the stream is new.</summary>
    public T Get<T>(ulong context, bool newStream, Func<T> create) where T : class, IDisposable
    {
        if (newStream && _codecs.TryRemove(context, out var old))
            old.Dispose();
        return _codecs.GetOrAdd(context, _ => create()) as T
            ?? throw new InvalidOperationException($"Stream context 0x{context:x} holds another kind of codec.");
    }

    /// <summary>Forgets a finished stream.</summary>
    public void Release(ulong context)
    {
        if (_codecs.TryRemove(context, out var codec))
            codec.Dispose();
    }

    public void Dispose()
    {
        foreach (var key in _codecs.Keys)
            Release(key);
    }
}
