namespace WarpDrive.Memory;

/// <summary>
/// First-fit allocation of staging space inside a <see cref="SharedRegion"/>, for devices that address buffers
/// as region offsets. Blocks are 64-byte aligned; freed neighbours merge. Used by one lane at a time.
/// </summary>
internal sealed class RegionAllocator(long size)
{
    private const long Alignment = 64;
    private readonly SortedDictionary<long, long> _free = new() { [0] = size & ~(Alignment - 1) };

    /// <summary>Finds <paramref name="length"/> bytes; false when the region has no hole that large.</summary>
    public bool TryAllocate(long length, out long offset)
    {
        long need = Math.Max(Alignment, (length + Alignment - 1) & ~(Alignment - 1));
        foreach (var (start, free) in _free)
        {
            if (free < need)
                continue;
            _free.Remove(start);
            if (free > need)
                _free[start + need] = free - need;
            offset = start;
            return true;
        }
        offset = -1;
        return false;
    }

    /// <summary>Returns a block from <see cref="TryAllocate"/>.</summary>
    public void Free(long offset, long length)
    {
        long size = Math.Max(Alignment, (length + Alignment - 1) & ~(Alignment - 1));
        // Merge with the following hole, then with the preceding one.
        if (_free.Remove(offset + size, out long next))
            size += next;
        long before = -1;
        foreach (var (start, free) in _free)
        {
            if (start + free == offset)
                before = start;
            if (start >= offset)
                break;
        }
        if (before >= 0)
            _free[before] += size;
        else
            _free[offset] = size;
    }
}
