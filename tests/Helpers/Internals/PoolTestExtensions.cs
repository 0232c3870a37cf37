using WarpDrive.Devices.Soft;
using WarpDrive.Scheduling;

namespace WarpDrive.Tests;

/// <summary>Test access to the in-process engine behind a pool (to inject faults, count its queues).</summary>
internal static class PoolTestExtensions
{
    /// <summary>The pool's in-process soft engine.</summary>
    public static SoftDevice SoftEngine(this AcceleratorPool pool) => (SoftDevice)pool.InlineDevice;
}
