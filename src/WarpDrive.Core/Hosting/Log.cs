using Microsoft.Extensions.Logging;

namespace WarpDrive.Hosting;

/// <summary>The host integration's log messages (health), generated for zero allocation when the level is off.</summary>
internal static partial class Log
{
    [LoggerMessage(9, LogLevel.Information, "WarpDrive is healthy: {Description}")]
    public static partial void Healthy(ILogger logger, string description);

    [LoggerMessage(10, LogLevel.Warning, "WarpDrive is degraded: {Description}")]
    public static partial void Degraded(ILogger logger, string description);
}
