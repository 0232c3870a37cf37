using WarpDrive.Devices.Soft.Engines.Deflate;

namespace WarpDrive.Devices.Soft;

/// <summary>
/// The stream of one request run in line: its codec lives with the request object (there is no queue to own it),
/// so a stream continues across the request's runs on any thread, and ends with the stream or when the request
/// releases it. A decompressor is reset for the next stream rather than made anew.
/// </summary>
internal sealed class SoftStreamSlot : ISoftStreams, IDisposable
{
    private IDisposable? _codec;

    /// <inheritdoc />
    public T? Get<T>(Span<byte> context, bool newStream, Func<T> create) where T : class, IDisposable
    {
        if (!newStream)
            return _codec as T;
        if (_codec is T same and IDeflateDecompressor inflater)
        {
            inflater.Reset();
            return same;
        }
        Dispose();
        var codec = create();
        _codec = codec;
        return codec;
    }

    /// <inheritdoc />
    public void Release(Span<byte> context)
    {
        // An ended decompressor stays for the request's next stream; anything else goes.
        if (_codec is not IDeflateDecompressor)
            Dispose();
    }

    /// <summary>Frees the codec, if any; the slot stays usable.</summary>
    public void Dispose()
    {
        _codec?.Dispose();
        _codec = null;
    }
}
