using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using WarpDrive.Memory;
using WarpDrive.Queues;

namespace WarpDrive.Devices.Uacce;

/// <summary>
/// A uacce device (hardware or our kernel soft engine) as a source of queues: each <see cref="OpenQueue"/> is
/// one open of its character device, driven by the QM user driver.
/// </summary>
public sealed class UacceDevice : IAcceleratorDevice
{
    // Which queue's fd backs each region this device's queues reserved: sharing a region passes that fd to the kernel.
    private readonly ConditionalWeakTable<SharedRegion, UacceQueue> _regionSources = [];

    /// <summary>Wraps a device that discovery found.</summary>
    public UacceDevice(UacceDeviceInfo details)
    {
        ArgumentNullException.ThrowIfNull(details);
        Details = details;
        Info = details.ToAcceleratorDeviceInfo();
    }

    /// <summary>Everything discovery read about the device.</summary>
    public UacceDeviceInfo Details { get; }

    /// <inheritdoc />
    /// <remarks>A snapshot from discovery; <see cref="ReadAvailableInstances"/> asks the kernel again.</remarks>
    public AcceleratorDeviceInfo Info { get; }

    /// <summary>Opens a queue: a <see cref="UacceQueue"/>, started and ready to send.</summary>
    /// <param name="algorithm">One of the device's algorithms.</param>
    /// <param name="queueType">The QM <c>qc_type</c>: ZIP 0 = compress, 1 = decompress; HPRE 0 = RSA/DH.</param>
    /// <exception cref="ArgumentException">The device does not serve <paramref name="algorithm"/>.</exception>
    /// <exception cref="DeviceRemovedException">The device is gone.</exception>
    /// <exception cref="AcceleratorException">The device has no free queue or refused the set-up.</exception>
    /// <exception cref="UnauthorizedAccessException">The process may not open the device node.</exception>
    /// <exception cref="FileNotFoundException">The device node does not exist.</exception>
    public IAcceleratorQueue OpenQueue(AcceleratorAlgorithm algorithm, int queueType = 0) => UacceQueue.Open(this, algorithm, queueType);

    /// <summary>Reads <c>available_instances</c> again: the free queues now, or −1 when the device does not say.</summary>
    public int ReadAvailableInstances() =>
        new UacceSysfsDirectory(Details.SysfsPath).ReadOptionalInt("available_instances", out _) is int n and >= 0 ? n : -1;

    internal void RegisterRegionSource(SharedRegion region, UacceQueue queue) => _regionSources.AddOrUpdate(region, queue);

    internal bool TryGetRegionSource(SharedRegion region, [NotNullWhen(true)] out UacceQueue? queue) =>
        _regionSources.TryGetValue(region, out queue);

    /// <inheritdoc />
    public override string ToString() => $"{Details.Name} ({Details.Api}, {Details.Kind})";
}
