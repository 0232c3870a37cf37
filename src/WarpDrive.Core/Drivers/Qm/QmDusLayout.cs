namespace WarpDrive.Drivers.Qm;

/// <summary>
/// Geometry of a QM queue's DUS region (spec §3.1): SQ ring, CQ ring straight after it, padding, and the two
/// stop words in the last 8 bytes.
/// </summary>
internal readonly record struct QmDusLayout(int SqeSize, int SqDepth, int CqDepth, int PageSize)
{
    /// <summary>Size of one completion queue entry.</summary>
    public const int CqeSize = 16;

    /// <summary>Byte offset of the CQ ring.</summary>
    public int CqOffset => SqeSize * SqDepth;

    /// <summary>Total region size: page-aligned rings plus one page, as the kernel allocates it.</summary>
    public long Size => AlignUp((long)SqeSize * SqDepth + (long)CqeSize * CqDepth, PageSize) + PageSize;

    /// <summary>Offset of the RX stop word (u32 at size − 8).</summary>
    public long RxStopOffset => Size - 8;

    /// <summary>Offset of the TX stop word (u32 at size − 4).</summary>
    public long TxStopOffset => Size - 4;

    /// <summary>Checks the geometry a device reported before any pointer is derived from it.</summary>
    public void Validate()
    {
        if (SqeSize is not (64 or 128))
            throw new ArgumentOutOfRangeException(nameof(SqeSize), SqeSize, "SQE size must be 64 or 128 bytes.");
        if (SqDepth < 2 || SqDepth > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(SqDepth), SqDepth, "SQ depth must be 2..65535.");
        if (CqDepth != SqDepth)
            throw new ArgumentOutOfRangeException(nameof(CqDepth), CqDepth, "CQ depth must equal SQ depth.");
        if (PageSize <= 0 || (PageSize & (PageSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(PageSize), PageSize, "Page size must be a power of two.");
    }

    private static long AlignUp(long value, int alignment) => (value + alignment - 1) & ~(long)(alignment - 1);
}
