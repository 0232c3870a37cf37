namespace WarpDrive.Devices.Soft;

/// <summary>
/// Where the soft engine keeps the codec of a stream-mode request between requests: a device's table, found
/// through the stream context buffer (queues), or the request's own slot (runs in line, see <see cref="SoftStreamSlot"/>).
/// </summary>
internal interface ISoftStreams
{
    /// <summary>
    /// The codec of the stream <paramref name="context"/> names; a new one when <paramref name="newStream"/>. Null
    /// when a continuing stream is unknown here.
    /// </summary>
    T? Get<T>(Span<byte> context, bool newStream, Func<T> create) where T : class, IDisposable;

    /// <summary>Forgets a finished stream.</summary>
    void Release(Span<byte> context);
}
