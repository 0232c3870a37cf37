using WarpDrive.Drivers.Qm;
using WarpDrive.Interop;
using WarpDrive.Queues;

namespace WarpDrive.Devices.Uacce;

/// <summary>What <see cref="UacceDiscovery.Discover"/> found: the usable devices, and the ones it left out with the reason.</summary>
public sealed class UacceDiscoveryResult
{
    /// <summary>No devices, no diagnostics: a machine without uacce.</summary>
    public static UacceDiscoveryResult Empty { get; } = new([], []);

    internal UacceDiscoveryResult(IReadOnlyList<UacceDeviceInfo> devices, IReadOnlyList<UacceDiscoveryDiagnostic> diagnostics)
    {
        Devices = devices;
        Diagnostics = diagnostics;
    }

    /// <summary>Usable devices, in name order.</summary>
    public IReadOnlyList<UacceDeviceInfo> Devices { get; }

    /// <summary>Devices left out (isolated, or an attribute missing or malformed), with the reason.</summary>
    public IReadOnlyList<UacceDiscoveryDiagnostic> Diagnostics { get; }

    /// <summary>The device named <paramref name="name"/>, or null.</summary>
    public UacceDeviceInfo? Find(string name) => Devices.FirstOrDefault(d => d.Name == name);

    /// <summary>
    /// The devices that serve <paramref name="algorithm"/> through the QM user driver, best first: devices with
    /// free queues (or an unknown count) before full ones, hardware before the kernel soft engine, the caller's
    /// NUMA node before others, then more free queues, then by name.
    /// </summary>
    /// <param name="algorithm">An algorithm name, e.g. <c>gzip</c>.</param>
    /// <param name="numaNode">The NUMA node of the thread that will use the queue.</param>
    public IReadOnlyList<UacceDeviceInfo> Rank(string algorithm, int numaNode)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return Devices
            .Where(d => d.Supports(algorithm) && QmDoorbell.TryParseApi(d.Api, out _, out _))
            .OrderBy(d => d.AvailableInstances == 0 ? 1 : 0)
            .ThenBy(d => d.Kind == AcceleratorKind.Hardware ? 0 : 1)
            .ThenBy(d => d.NumaNode == numaNode ? 0 : 1)
            .ThenByDescending(d => d.AvailableInstances)
            .ThenBy(d => d.Name, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Like <see cref="Rank(string, int)"/> for the NUMA node the calling thread runs on now.</summary>
    public IReadOnlyList<UacceDeviceInfo> Rank(string algorithm) => Rank(algorithm, Libc.CurrentNumaNode());
}
