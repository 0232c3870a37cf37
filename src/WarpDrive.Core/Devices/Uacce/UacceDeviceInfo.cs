using WarpDrive.Queues;

namespace WarpDrive.Devices.Uacce;

/// <summary>
/// One uacce device as discovery read it from <c>/sys/class/uacce/&lt;name&gt;</c> (spec §1.3): everything a
/// queue needs to be opened and mapped, plus the placement facts the pool ranks devices by.
/// </summary>
/// <param name="Name">The class device name, e.g. <c>hisi_zip-0</c> or <c>uacce_echo-2</c>.</param>
/// <param name="DevicePath">The character device to open, e.g. <c>/dev/hisi_zip-0</c>.</param>
/// <param name="SysfsPath">The class device directory, e.g. <c>/sys/class/uacce/hisi_zip-0</c> (attributes are read from its <c>attrs/</c> subdirectory first).</param>
/// <param name="Api">The <c>api</c> attribute, e.g. <c>hisi_qm_v2</c>: which user driver speaks to the device.</param>
/// <param name="Flags">The <c>flags</c> attribute, a <c>UACCE_DEV_*</c> bitmask.</param>
/// <param name="Algorithms">The <c>algorithms</c> attribute, one name per entry.</param>
/// <param name="AvailableInstances">Free queues when discovery ran, −1 when the device does not say.</param>
/// <param name="RegionMmioSize">Bytes of the MMIO region (the doorbell page or pages).</param>
/// <param name="RegionDusSize">Bytes of the DUS region (SQ, CQ and stop words).</param>
/// <param name="IsolateStrategy">The <c>isolate_strategy</c> attribute (hardware errors per hour before isolation, 0 = never), null when absent.</param>
/// <param name="NumaNode">NUMA node of the parent device (<c>device/numa_node</c>, else openEuler's <c>node_id</c>); 0 when unknown or negative.</param>
/// <param name="NumaDistance">openEuler's <c>numa_distance</c> attribute, null elsewhere.</param>
/// <param name="Kind">Hardware, or the kernel soft engine (see <see cref="UacceDiscovery.ClassifyKind"/>).</param>
public sealed record UacceDeviceInfo(
    string Name,
    string DevicePath,
    string SysfsPath,
    string Api,
    uint Flags,
    IReadOnlyList<string> Algorithms,
    int AvailableInstances,
    long RegionMmioSize,
    long RegionDusSize,
    uint? IsolateStrategy,
    int NumaNode,
    int? NumaDistance,
    AcceleratorKind Kind)
{
    /// <summary><c>UACCE_DEV_SVA</c>: the device reads process virtual addresses.</summary>
    public const uint FlagSva = 1;

    /// <summary>True when SQEs carry process addresses; false when they carry addresses inside a static shared region.</summary>
    public bool Sva => (Flags & FlagSva) != 0;

    /// <summary>True when the device serves <paramref name="algorithm"/>.</summary>
    public bool Supports(AcceleratorAlgorithm algorithm) => Algorithms.Contains(algorithm.Name, StringComparer.Ordinal);

    /// <summary>The device-neutral description the queue contract and the pool use.</summary>
    public AcceleratorDeviceInfo ToAcceleratorDeviceInfo() =>
        new(Name, Kind, Api, Algorithms, Sva, AvailableInstances, NumaNode);
}
