using WarpDrive.Queues;

namespace WarpDrive.Devices.Uacce;

/// <summary>
/// Finds the uacce devices of this machine by reading <c>/sys/class/uacce/*</c> (spec §1.3). The sysfs and /dev
/// roots are parameters so tests can point discovery at a fake tree.
/// </summary>
/// <remarks>
/// <para>
/// A device is listed only when everything needed to open a queue on it is present and well formed: <c>api</c>,
/// <c>flags</c>, <c>algorithms</c>, <c>region_mmio_size</c> and <c>region_dus_size</c>, plus a well-formed
/// <c>isolate</c> and <c>available_instances</c> when they exist. Otherwise it is left out with a
/// <see cref="UacceDiscoveryDiagnostic"/> saying why; one bad device never fails discovery. A device whose
/// <c>isolate</c> is non-zero is left out too. Informational attributes (<c>isolate_strategy</c>, openEuler's
/// <c>node_id</c> and <c>numa_distance</c>, <c>device/numa_node</c>) fall back to "unknown" when absent or
/// malformed; a negative NUMA node is read as 0, as uadk does.
/// </para>
/// <para>A machine without <c>/sys/class/uacce</c> (no uacce module loaded) has no devices: the result is empty.</para>
/// </remarks>
public static class UacceDiscovery
{
    /// <summary>Where the kernel lists uacce devices.</summary>
    public const string DefaultSysfsRoot = "/sys/class/uacce";

    /// <summary>Where their character devices are.</summary>
    public const string DefaultDevRoot = "/dev";

    // Larger than any region a QM exposes; a bigger value is garbage, not a region to map.
    private const ulong MaxRegionSize = 1UL << 40;

    /// <summary>Reads every device under <paramref name="sysfsRoot"/>; never throws because of one device.</summary>
    /// <param name="sysfsRoot">The uacce class directory, normally <see cref="DefaultSysfsRoot"/>.</param>
    /// <param name="devRoot">The directory holding the device nodes, normally <see cref="DefaultDevRoot"/>.</param>
    public static UacceDiscoveryResult Discover(string sysfsRoot = DefaultSysfsRoot, string devRoot = DefaultDevRoot)
    {
        ArgumentNullException.ThrowIfNull(sysfsRoot);
        ArgumentNullException.ThrowIfNull(devRoot);
        if (!Directory.Exists(sysfsRoot))
            return UacceDiscoveryResult.Empty;

        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(sysfsRoot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new UacceDiscoveryResult([], [new UacceDiscoveryDiagnostic(sysfsRoot, $"cannot list the directory ({e.Message})")]);
        }
        Array.Sort(entries, StringComparer.Ordinal);

        var devices = new List<UacceDeviceInfo>();
        var diagnostics = new List<UacceDiscoveryDiagnostic>();
        foreach (string entry in entries)
        {
            string name = Path.GetFileName(entry);
            string? reason;
            UacceDeviceInfo? info;
            try
            {
                // Class entries are symlinks to the device directories; Directory.Exists follows them.
                info = Directory.Exists(entry)
                    ? ReadDevice(new UacceSysfsDirectory(entry), name, devRoot, out reason)
                    : Skip("not a directory", out reason);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                info = Skip($"unreadable ({e.Message})", out reason);
            }
            if (info is not null)
                devices.Add(info);
            else
                diagnostics.Add(new UacceDiscoveryDiagnostic(name, reason!));
        }
        return new UacceDiscoveryResult(devices, diagnostics);
    }

    /// <summary>
    /// Tells hardware from our kernel soft engine. Names starting with <c>hisi_zip_soft</c>, <c>uacce_echo</c> or
    /// <c>soft</c>, or an <c>api</c> ending in <c>_soft</c>, are <see cref="AcceleratorKind.KernelSoft"/> (the
    /// <c>native/</c> modules: a kernel thread plays the device); everything else, the <c>hisi_*</c> devices
    /// included, is <see cref="AcceleratorKind.Hardware"/>.
    /// </summary>
    public static AcceleratorKind ClassifyKind(string name, string api)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(api);
        bool soft = name.StartsWith("hisi_zip_soft", StringComparison.Ordinal)
            || name.StartsWith("uacce_echo", StringComparison.Ordinal)
            || name.StartsWith("soft", StringComparison.Ordinal)
            || api.EndsWith("_soft", StringComparison.Ordinal);
        return soft ? AcceleratorKind.KernelSoft : AcceleratorKind.Hardware;
    }

    private static UacceDeviceInfo? ReadDevice(UacceSysfsDirectory dir, string name, string devRoot, out string? reason)
    {
        string? api = dir.ReadRequiredText("api", out reason);
        if (api is null)
            return null;

        // isolate is hidden on kernels before 6.1: absent means usable.
        int? isolate = dir.ReadOptionalInt("isolate", out reason);
        if (reason is not null)
            return null;
        if (isolate is not null and not 0)
            return Skip($"isolated (isolate = {isolate})", out reason);

        ulong? flags = dir.ReadRequiredUnsigned("flags", uint.MaxValue, out reason);
        if (flags is null)
            return null;

        string? algorithmsText = dir.ReadRequiredText("algorithms", out reason);
        if (algorithmsText is null)
            return null;
        string[] algorithms = algorithmsText.Split(['\n', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        ulong? mmio = dir.ReadRequiredUnsigned("region_mmio_size", MaxRegionSize, out reason);
        if (mmio is null)
            return null;
        ulong? dus = dir.ReadRequiredUnsigned("region_dus_size", MaxRegionSize, out reason);
        if (dus is null)
            return null;
        if (mmio == 0 || dus == 0)
            return Skip($"empty region (region_mmio_size = {mmio}, region_dus_size = {dus})", out reason);

        // Reading it fails with ENODEV when the driver has no get_available_instances: that is "unknown".
        int available = -1;
        if (dir.TryRead("available_instances", out _, out _))
        {
            int? value = dir.ReadOptionalInt("available_instances", out reason);
            if (value is null)
                return null;
            available = Math.Max(value.Value, -1);
        }

        uint? isolateStrategy = dir.ReadOptionalInt("isolate_strategy", out _) is int s and >= 0 ? (uint)s : null;
        int numaNode = ReadNumaNode(dir);
        int? numaDistance = dir.ReadOptionalInt("numa_distance", out _);

        reason = null;
        return new UacceDeviceInfo(name, Path.Combine(devRoot, name), dir.Path, api, (uint)flags.Value, algorithms,
            available, (long)mmio.Value, (long)dus.Value, isolateStrategy, numaNode, numaDistance, ClassifyKind(name, api));
    }

    // The parent's numa_node is what uadk reads; openEuler also publishes it as node_id. −1 means "no NUMA".
    private static int ReadNumaNode(UacceSysfsDirectory dir)
    {
        int? node = dir.ReadOptionalInt("device/numa_node", out _) ?? dir.ReadOptionalInt("node_id", out _);
        return node is > 0 ? node.Value : 0;
    }

    private static UacceDeviceInfo? Skip(string why, out string? reason)
    {
        reason = why;
        return null;
    }
}
