namespace WarpDrive.Devices.Soft.Engines.Deflate;

/// <summary>
/// An ISA-L compressor (level 1, or level 0 with fixed codes) held by one stream (stream mode) for as long as the
/// stream lasts, then handed back to a small process-wide shelf: a flushing stream (a proxied response, a feed of
/// events) takes one per response, and making one allocates and clears ~370 KiB of native state. Not thread-safe, as
/// the stream using it is not.
/// </summary>
internal sealed class PooledIsalDeflater : IDeflateCompressor
{
    private static readonly int s_shelfLimit = Math.Max(4, 2 * Environment.ProcessorCount);
    private static readonly Stack<IsalDeflater> s_shelf = new();
    private static readonly Lock s_lock = new();

    private IsalDeflater? _inner;

    private PooledIsalDeflater(IsalDeflater inner) => _inner = inner;

    /// <summary>A reset compressor from the shelf, or a new one, set up as <see cref="IsalDeflater.Configure"/> says.</summary>
    public static PooledIsalDeflater Rent(bool quick)
    {
        IsalDeflater? kept;
        lock (s_lock)
            s_shelf.TryPop(out kept);
        if (kept is null)
            kept = new IsalDeflater();
        else
            kept.Reset();
        kept.Configure(quick);
        return new PooledIsalDeflater(kept);
    }

    public CodecResult Run(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced) =>
        Inner.Run(input, output, finish, out consumed, out produced);

    public void Prime(ReadOnlySpan<byte> dictionary) => Inner.Prime(dictionary);

    /// <summary>Hands the compressor back to the shelf (freeing it when the shelf is full); this holder is done.</summary>
    public void Dispose()
    {
        var inner = _inner;
        _inner = null;
        if (inner is null)
            return;
        lock (s_lock)
        {
            if (s_shelf.Count < s_shelfLimit)
            {
                s_shelf.Push(inner);
                return;
            }
        }
        inner.Dispose();
    }

    private IsalDeflater Inner => _inner ?? throw new ObjectDisposedException(nameof(PooledIsalDeflater));
}
