using Microsoft.Extensions.Logging;
using WarpDrive.Queues;

namespace WarpDrive.Scheduling;

/// <summary>Finds the uacce devices the options allow, in preference order.</summary>
internal static class DeviceCatalog
{
    public static IEnumerable<IAcceleratorDevice> Discover(WarpDriveOptions options, ILogger logger)
    {
        _ = options;
        _ = logger;
        return [];
    }
}
