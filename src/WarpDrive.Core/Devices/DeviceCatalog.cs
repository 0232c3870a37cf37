using Microsoft.Extensions.Logging;
using WarpDrive.Devices.Soft;
using WarpDrive.Devices.Uacce;
using WarpDrive.Drivers.Qm;
using WarpDrive.Interop;
using WarpDrive.Queues;

namespace WarpDrive.Devices;

/// <summary>
/// The devices a pool may use, in preference order: the uacce devices the options allow (hardware, then kernel
/// soft devices, nearest NUMA node first), then the in-process soft engine, always last and always present.
/// </summary>
internal static class DeviceCatalog
{
    /// <summary>Discovers this machine's devices and appends the in-process engine.</summary>
    /// <param name="options">What to look for.</param>
    /// <param name="logger">Receives a line per device skipped.</param>
    /// <param name="owned">Devices created here, which the caller disposes.</param>
    public static List<IAcceleratorDevice> Discover(WarpDriveOptions options, ILogger logger, out List<IDisposable> owned) =>
        WithInProcessEngine(DiscoverUacce(options, logger), options, out owned);

    /// <summary>
    /// <paramref name="devices"/> in preference order (by kind, stable), with an in-process engine added when none
    /// is among them.
    /// </summary>
    public static List<IAcceleratorDevice> WithInProcessEngine(IEnumerable<IAcceleratorDevice> devices, WarpDriveOptions options, out List<IDisposable> owned)
    {
        var list = devices.ToList();
        owned = [];
        if (!list.OfType<IInlineDevice>().Any())
        {
            var soft = new SoftDevice(options.SoftEngine);
            owned.Add(soft);
            list.Add(soft);
        }
        return list.OrderBy(d => d.Info.Kind).ToList();
    }

    private static List<UacceDevice> DiscoverUacce(WarpDriveOptions options, ILogger logger)
    {
        if (!options.UseHardware && !options.UseKernelSoftDevices)
            return [];
        var found = UacceDiscovery.Discover(options.SysfsRoot, options.DevRoot);
        foreach (var diagnostic in found.Diagnostics)
            DevicesLog.DeviceSkipped(logger, diagnostic.Name, diagnostic.Reason);
        int node = Libc.CurrentNumaNode();
        return found.Devices
            .Where(d => QmDoorbell.TryParseApi(d.Api, out _, out _))
            .Where(d => d.Kind == AcceleratorKind.Hardware ? options.UseHardware : options.UseKernelSoftDevices)
            .OrderBy(d => d.Kind)
            .ThenBy(d => d.NumaNode == node ? 0 : 1)
            .ThenBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => new UacceDevice(d))
            .ToList();
    }
}
