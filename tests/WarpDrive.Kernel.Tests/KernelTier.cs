using WarpDrive.Queues;
using WarpDrive.Scheduling;

namespace WarpDrive.Tests.Infrastructure;

/// <summary>Finds the kernel tier's uacce_echo device: a failure inside the tier, a skip anywhere else.</summary>
internal static class KernelTier
{
    public static bool Active => Environment.GetEnvironmentVariable("WARPDRIVE_KERNEL_TIER") == "1";

    public static AcceleratorDeviceInfo EchoDevice(AcceleratorPool pool)
    {
        var echo = pool.Devices.FirstOrDefault(d => d.Name.StartsWith("uacce_echo", StringComparison.Ordinal));
        if (echo is null)
        {
            if (Active)
                Assert.Fail("The kernel tier loaded uacce_echo, but the pool did not discover it.");
            Assert.Skip("No uacce_echo device: this test runs in the kernel tier.");
        }
        return echo;
    }
}
