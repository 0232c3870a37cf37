using WarpDrive.Devices.Soft;

namespace WarpDrive;

/// <summary>Settings for WarpDrive's device pool. Bind from configuration or set in <c>AddWarpDrive(o => ...)</c>.</summary>
public sealed class WarpDriveOptions
{
    /// <summary>Use uacce hardware devices when present. Default true.</summary>
    public bool UseHardware { get; set; } = true;

    /// <summary>Use uacce devices backed by our kernel soft engine when present. Default true.</summary>
    public bool UseKernelSoftDevices { get; set; } = true;

    /// <summary>Where uacce devices are listed. Default <c>/sys/class/uacce</c>.</summary>
    public string SysfsRoot { get; set; } = "/sys/class/uacce";

    /// <summary>Where uacce device nodes live. Default <c>/dev</c>.</summary>
    public string DevRoot { get; set; } = "/dev";

    /// <summary>Requests in flight per queue before a sender waits. Default 64.</summary>
    public int MaxInFlightPerQueue { get; set; } = 64;

    /// <summary>How long a request may take before the pool re-rings the doorbell, and then re-runs it elsewhere. Default 5 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Staging space per queue on devices without SVA. Default 16 MiB.</summary>
    public long SharedRegionSize { get; set; } = 16L << 20;

    /// <summary>
    /// Devices this deployment expects, by name (<c>hisi_zip-0</c>) or by name without its number (<c>hisi_zip</c>).
    /// Empty by default: the in-process engine serving everything is then the healthy state. The health check
    /// reports Degraded while an expected device is missing.
    /// </summary>
    public IList<string> ExpectedDevices { get; set; } = [];

    /// <summary>The in-process soft engine, the device every machine has.</summary>
    public SoftEngineOptions SoftEngine { get; set; } = new();

    /// <summary>Returns every problem with the settings; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxInFlightPerQueue is < 1 or > 65534)
            errors.Add($"{nameof(MaxInFlightPerQueue)} must be 1..65534 (was {MaxInFlightPerQueue}).");
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromHours(1))
            errors.Add($"{nameof(RequestTimeout)} must be positive and at most an hour (was {RequestTimeout}).");
        if (SharedRegionSize < 4096)
            errors.Add($"{nameof(SharedRegionSize)} must be at least 4096 bytes (was {SharedRegionSize}).");
        if (string.IsNullOrWhiteSpace(SysfsRoot))
            errors.Add($"{nameof(SysfsRoot)} must be set.");
        if (string.IsNullOrWhiteSpace(DevRoot))
            errors.Add($"{nameof(DevRoot)} must be set.");
        if (ExpectedDevices is null || ExpectedDevices.Any(string.IsNullOrWhiteSpace))
            errors.Add($"{nameof(ExpectedDevices)} must be a list of device names.");
        if (SoftEngine is null)
        {
            errors.Add($"{nameof(SoftEngine)} must be set.");
        }
        else
        {
            try
            {
                SoftEngine.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                errors.Add($"{nameof(SoftEngine)}.{e.ParamName}: {e.Message}");
            }
        }
        return errors;
    }
}
