namespace WarpDrive.Devices.Soft;

/// <summary>
/// How the soft engine turns an SQE address into bytes: a process pointer with SVA, or an offset into the
/// queue's static shared region without it, checked against the region's bounds.
/// </summary>
internal readonly unsafe struct SoftAddressSpace
{
    private readonly byte* _region;
    private readonly long _regionSize;
    private readonly bool _sva;

    /// <summary>Process addresses (SVA), as the pool's software re-runs use.</summary>
    public static SoftAddressSpace Process => new(sva: true, region: null, regionSize: 0);

    public SoftAddressSpace(bool sva, byte* region, long regionSize)
    {
        _sva = sva;
        _region = region;
        _regionSize = regionSize;
    }

    /// <summary>Resolves <paramref name="length"/> bytes at <paramref name="address"/>; false when they lie outside the region.</summary>
    public bool TryResolve(ulong address, long length, out Span<byte> bytes)
    {
        bytes = default;
        if (length < 0 || length > int.MaxValue)
            return false;
        if (length == 0)
            return true;
        if (_sva)
        {
            if (address == 0)
                return false;
            bytes = new Span<byte>((void*)address, (int)length);
            return true;
        }
        if (_region == null || address > (ulong)_regionSize || (ulong)length > (ulong)_regionSize - address)
            return false;
        bytes = new Span<byte>(_region + address, (int)length);
        return true;
    }
}
