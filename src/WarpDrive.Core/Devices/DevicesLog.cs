using Microsoft.Extensions.Logging;

namespace WarpDrive.Devices;

/// <summary>Device discovery's log messages.</summary>
internal static partial class DevicesLog
{
    [LoggerMessage(7, LogLevel.Information, "Skipped uacce device {Device}: {Reason}")]
    public static partial void DeviceSkipped(ILogger logger, string device, string reason);
}
