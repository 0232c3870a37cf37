using Microsoft.Extensions.Logging;
using WarpDrive.Devices.Uacce;
using WarpDrive.Drivers.Qm;
using WarpDrive.Interop;
using WarpDrive.Queues;

namespace WarpDrive.Scheduling;

/// <summary>Finds the uacce devices the options allow: hardware, then kernel soft devices, nearest NUMA node first.</summary>
internal static class DeviceCatalog
{
    public static IEnumerable<IAcceleratorDevice> Discover(WarpDriveOptions options, ILogger logger)
    {
        if (!options.UseHardware && !options.UseKernelSoftDevices)
            return [];
        var found = UacceDiscovery.Discover(options.SysfsRoot, options.DevRoot);
        foreach (var diagnostic in found.Diagnostics)
            Hosting.Log.DeviceSkipped(logger, diagnostic.Name, diagnostic.Reason);
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
