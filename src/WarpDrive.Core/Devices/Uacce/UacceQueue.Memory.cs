using System.Runtime.InteropServices;
using WarpDrive.Interop;
using WarpDrive.Memory;
using WarpDrive.Queues;

namespace WarpDrive.Devices.Uacce;

/// <summary>The queue's static shared region (<c>UACCE_QFRT_SS</c>) and sharing it between queues.</summary>
internal sealed unsafe partial class UacceQueue : IRegionHost
{
    // The region this queue addresses: reserved here or attached from another queue. One per queue, as in the kernel.
    private SharedRegion? _region;

    /// <summary>
    /// Reserves the queue's static shared region, rounded up to whole pages. On a device without SVA it is the
    /// kernel's region mapped at page offset 2 (<c>UACCE_QFRT_SS</c>); on an SVA device, pinned native memory
    /// whose process addresses the device reads directly.
    /// </summary>
    /// <exception cref="InvalidOperationException">The queue already has a region.</exception>
    /// <exception cref="AcceleratorException">The device refused the region (too large, or no SS support).</exception>
    public override SharedRegion ReserveMemory(long size)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ThrowIfUnusable();
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (_region != null)
            throw new InvalidOperationException("The queue already has a shared region (a region maps once per queue).");
        long page = Environment.SystemPageSize;
        long length = (size + page - 1) / page * page;

        SharedRegion region;
        if (_device.Details.Sva)
        {
            var pointer = (byte*)NativeMemory.AlignedAlloc((nuint)length, (nuint)page);
            NativeMemory.Clear(pointer, (nuint)length);
            region = new SharedRegion(pointer, length, sva: true, _device, () => NativeMemory.AlignedFree(pointer));
        }
        else
        {
            int errno = Libc.TryMapShared(_file.Fd, length, UacceIoctl.RegionSs * page, out var mapping);
            if (errno == Errno.EEXIST)
                throw new InvalidOperationException($"{DevicePath} already has a static shared region mapped.");
            if (errno != 0)
                throw _file.Fail(errno, $"mmap static shared region ({length} bytes) of");
            region = new SharedRegion(mapping!.Pointer, length, sva: false, _device, mapping.Dispose, RegionDeviceBase());
        }
        _region = region;
        _device.RegisterRegionSource(region, this);
        return region;
    }

    /// <summary>The device address of the region just mapped: what <c>UACCE_CMD_GET_SS_DMA</c> says, 0 where the kernel does not tell.</summary>
    private ulong RegionDeviceBase()
    {
        ulong address = 0;
        int errno = _file.TryIoctl(UacceIoctl.GetSsDma, &address);
        return errno == 0 ? address : 0;
    }

    /// <summary>
    /// The address the device knows the start of this queue's static shared region by (<c>UACCE_CMD_GET_SS_DMA</c>):
    /// a buffer at offset <c>o</c> of the region is handed to the device as this address + <c>o</c>. On an SVA
    /// device it is the region's process address.
    /// </summary>
    /// <exception cref="InvalidOperationException">The queue has no region yet.</exception>
    /// <exception cref="NotSupportedException">The kernel does not tell (mainline uacce has no such command).</exception>
    public ulong GetSharedRegionDeviceAddress()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ThrowIfUnusable();
        if (_region is null)
            throw new InvalidOperationException("The queue has no shared region: reserve one or attach another queue's first.");
        if (_region.Sva)
            return (ulong)_region.Start;
        ulong address = 0;
        int errno = _file.TryIoctl(UacceIoctl.GetSsDma, &address);
        return errno switch
        {
            0 => address,
            Errno.EINVAL or Errno.ENOTTY => throw new NotSupportedException(
                $"{Device.Name} does not report static shared region addresses (UACCE_CMD_GET_SS_DMA answered {Errno.Describe(errno)})."),
            _ => throw _file.Fail(errno, "ioctl UACCE_CMD_GET_SS_DMA on"),
        };
    }

    /// <summary>
    /// Makes <paramref name="region"/>, reserved by another uacce queue of this process, this queue's region too:
    /// <c>UACCE_CMD_SHARE_SVAS</c> with the source queue's fd, so both devices accept the same buffer addresses.
    /// </summary>
    void IRegionHost.AttachRegion(SharedRegion region)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ThrowIfUnusable();
        if (ReferenceEquals(_region, region))
            return;
        if (region.Owner is not UacceDevice owner || !owner.TryGetRegionSource(region, out var source))
            throw new ArgumentException("The region was not reserved by a uacce queue.", nameof(region));
        if (_region != null)
            throw new InvalidOperationException("The queue already has a shared region (a region maps once per queue).");
        if (region.Sva != _device.Details.Sva)
            throw new ArgumentException("An SVA region cannot be shared with a device without SVA, or the reverse.", nameof(region));
        if (!region.Sva)
            Share(source);
        // With SVA the region is plain process memory: every SVA device of this process reaches it already.
        _region = region;
    }

    private void Share(UacceQueue source)
    {
        var sourceFd = source._file.Fd;
        bool added = false;
        int errno;
        try
        {
            sourceFd.DangerousAddRef(ref added); // keep the number from being reused while the kernel looks it up
            errno = Libc.TryIoctlValue(_file.Fd, UacceIoctl.ShareSvas, sourceFd.Number);
        }
        finally
        {
            if (added)
                sourceFd.DangerousRelease();
        }
        switch (errno)
        {
            case 0:
                return;
            case Errno.EINVAL or Errno.ENOTTY or Errno.EOPNOTSUPP:
                throw new NotSupportedException(
                    $"{Device.Name} does not share static shared regions (UACCE_CMD_SHARE_SVAS from {source.DevicePath} answered {Errno.Describe(errno)}).");
            case Errno.EEXIST:
                throw new InvalidOperationException($"{DevicePath} already has a static shared region.");
            default:
                throw _file.Fail(errno, $"ioctl UACCE_CMD_SHARE_SVAS (from {source.DevicePath}) on");
        }
    }
}
