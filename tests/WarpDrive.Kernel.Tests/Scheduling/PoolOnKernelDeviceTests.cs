using WarpDrive.Drivers.Qm;
using WarpDrive.Queues;
using WarpDrive.Scheduling;
using WarpDrive.Tests.Infrastructure;

namespace WarpDrive.Tests.Scheduling;

/// <summary>
/// The pool discovers the kernel's uacce_echo device, prefers it to the in-process engine and sends requests
/// through it. Runs in the kernel tier (qemu guest, WARPDRIVE_KERNEL_TIER=1); skipped elsewhere. Runs alone, so
/// the echo device's queue counts seen by <see cref="Devices.Uacce.UacceEchoQueueTests"/> stay theirs.
/// </summary>
[Collection(nameof(KernelDeviceAlone))]
public class PoolOnKernelDeviceTests
{
    [Fact]
    public void The_pool_prefers_the_kernel_device_and_completes_every_request_once()
    {
        // uacce_echo polls its doorbell word, so a CQ doorbell can hide an SQ one; a short timeout re-rings it.
        using var pool = new AcceleratorPool(new WarpDriveOptions { RequestTimeout = TimeSpan.FromMilliseconds(50) });
        var echo = KernelTier.EchoDevice(pool);
        Assert.Equal(AcceleratorKind.KernelSoft, echo.Kind);
        Assert.Equal(echo, pool.Devices[0]);
        Assert.True(pool.Serving("echo").OnDevice);

        var request = new AcceleratorRequest("echo");
        int onDevice = 0;
        for (uint i = 0; i < 200; i++)
        {
            request.Reset();
            // The v2 layout keeps the tag in dw13, clear of the words the echo device rewrites.
            _ = new ZipSqe(request.Sqe) { Layout = ZipSqeLayout.V2, InputLength = i };
            pool.Run(request);
            Assert.True(request.Succeeded);
            if (request.ServedBy == echo.Name)
                onDevice++;
        }
        // uacce_echo polls one doorbell word, so a CQ doorbell stored before its thread looks hides the SQ one,
        // and those requests finish in software after the timeout. Many still must run on the device.
        Assert.True(onDevice >= 10, $"only {onDevice} of 200 requests ran on {echo.Name}");
    }
}

/// <summary>Tests in this collection run after all others, one at a time.</summary>
[CollectionDefinition(nameof(KernelDeviceAlone), DisableParallelization = true)]
public sealed class KernelDeviceAlone;
