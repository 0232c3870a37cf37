using Microsoft.Extensions.Logging;

namespace WarpDrive.Scheduling.Diagnostics;

/// <summary>The pool's log messages, generated for zero allocation when the level is off.</summary>
internal static partial class SchedulingLog
{
    [LoggerMessage(1, LogLevel.Information, "WarpDrive pool started with devices: {Devices}")]
    public static partial void PoolStarted(ILogger logger, string devices);

    [LoggerMessage(2, LogLevel.Debug, "Opened a {Algorithm} queue (type {QueueType}) on {Device}")]
    public static partial void QueueOpened(ILogger logger, string algorithm, int queueType, string device);

    [LoggerMessage(3, LogLevel.Warning, "Could not open a {Algorithm} queue on {Device}; trying the next device")]
    public static partial void QueueOpenFailed(ILogger logger, Exception exception, string algorithm, string device);

    [LoggerMessage(4, LogLevel.Warning, "Queue on {Device} failed ({Reason}); {Pending} requests re-run in software")]
    public static partial void LaneFailed(ILogger logger, Exception? exception, string device, FallbackReason reason, int pending);

    [LoggerMessage(5, LogLevel.Debug, "A request on {Device} came back with an error status; re-ran it in software")]
    public static partial void DeviceErrorStatus(ILogger logger, string device);

    [LoggerMessage(6, LogLevel.Information, "No answer from {Device} within {Timeout}; re-rang its doorbell")]
    public static partial void Kicked(ILogger logger, string device, TimeSpan timeout);

    [LoggerMessage(8, LogLevel.Warning, "A {Algorithm} result from {Device} failed its check on the host; re-ran it in software (logged once per device, counted in warpdrive.results.rejected)")]
    public static partial void ResultRejected(ILogger logger, string device, string algorithm);
}
