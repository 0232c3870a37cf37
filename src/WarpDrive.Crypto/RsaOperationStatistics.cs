using WarpDrive.Crypto.DataPath;
namespace WarpDrive.Crypto;

/// <summary>
/// Counts of the raw RSA operations one engine, core or <see cref="WarpDriveRsa"/> ran, and where they ran.
/// Thread-safe; the counts only grow.
/// </summary>
public sealed class RsaOperationStatistics
{
    private long _private;
    private long _public;
    private long _device;
    private long _software;
    private long _faults;
    private string? _lastServedBy;

    /// <summary>Private-key operations (sign, decrypt).</summary>
    public long PrivateOperations => Interlocked.Read(ref _private);

    /// <summary>Public-key operations (verify, encrypt).</summary>
    public long PublicOperations => Interlocked.Read(ref _public);

    /// <summary>Operations whose result a queue device produced (hardware, kernel or in-process soft engine).</summary>
    public long DeviceOperations => Interlocked.Read(ref _device);

    /// <summary>Operations computed in this thread in software: re-runs, or key sizes no device takes.</summary>
    public long SoftwareOperations => Interlocked.Read(ref _software);

    /// <summary>Results that failed the check (<c>s^e mod n ≠ m</c>) and were re-run in software.</summary>
    public long FaultsDetected => Interlocked.Read(ref _faults);

    /// <summary>The device (e.g. <c>soft-0</c>) or <c>software</c> that produced the latest result; null before any.</summary>
    public string? LastServedBy => Volatile.Read(ref _lastServedBy);

    internal void Count(bool isPrivate, string servedBy)
    {
        Interlocked.Increment(ref isPrivate ? ref _private : ref _public);
        Interlocked.Increment(ref servedBy == RsaRunner.Software ? ref _software : ref _device);
        Volatile.Write(ref _lastServedBy, servedBy);
    }

    internal void Fault() => Interlocked.Increment(ref _faults);
}
