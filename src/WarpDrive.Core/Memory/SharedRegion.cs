using WarpDrive.Queues;

namespace WarpDrive.Memory;

/// <summary>
/// A queue's static shared region (<c>UACCE_QFRT_SS</c>): memory both the process and the device reach. On a
/// device without SVA, SQEs address buffers as offsets into it; on an SVA device, as the process pointers.
/// </summary>
public sealed unsafe class SharedRegion : IDisposable
{
    private readonly Action? _release;
    private int _disposed;

    internal SharedRegion(byte* pointer, long size, bool sva, object owner, Action? release, ulong deviceBase = 0)
    {
        DeviceBase = deviceBase;
        Start = pointer;
        Size = size;
        Sva = sva;
        Owner = owner;
        _release = release;
    }

    /// <summary>Start of the region in this process.</summary>
    public byte* Start { get; }

    /// <summary>Region size in bytes.</summary>
    public long Size { get; }

    /// <summary>Without SVA, the address the device knows the region's first byte by (0 for the soft engine).</summary>
    public ulong DeviceBase { get; }

    /// <summary>True when devices address the region by process pointer; false when by offset.</summary>
    public bool Sva { get; }

    /// <summary>The queue (or device) that reserved the region; ShareWith accepts queues of the same device only.</summary>
    internal object Owner { get; }

    /// <summary>A view of <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    public Span<byte> GetSpan(long offset, int length)
    {
        CheckRange(offset, length);
        return new Span<byte>(Start + offset, length);
    }

    /// <summary>The address to put into an SQE for the bytes at <paramref name="offset"/>.</summary>
    public ulong DeviceAddress(long offset, long length)
    {
        CheckRange(offset, length);
        return Sva ? (ulong)(Start + offset) : DeviceBase + (ulong)offset;
    }

    /// <summary>Lets <paramref name="queue"/> (same device, same process) address this region too, so two queues pass buffers without copies.</summary>
    /// <exception cref="ArgumentException">The queue belongs to another device or cannot share regions.</exception>
    public void ShareWith(IAcceleratorQueue queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (queue is not IRegionHost host)
            throw new ArgumentException("This queue cannot share a region.", nameof(queue));
        host.AttachRegion(this);
    }

    private void CheckRange(long offset, long length)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (offset < 0 || length < 0 || offset > Size - length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, +{length}) lies outside the {Size}-byte region.");
    }

    /// <summary>Releases the region (the queues sharing it keep their mapping until they close).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _release?.Invoke();
    }
}

/// <summary>A queue that can address a region reserved by another queue of the same device.</summary>
internal interface IRegionHost
{
    void AttachRegion(SharedRegion region);
}
