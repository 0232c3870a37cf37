using WarpDrive.Drivers.Qm;
using WarpDrive.Scheduling;

namespace WarpDrive.Tests.Hosting;

public class WarpDriveAcceleratorTests
{
    [Fact]
    public void Shared_is_one_pool_that_runs_requests()
    {
        var pool = WarpDriveAccelerator.Shared;
        var request = new AcceleratorRequest("nop");
        _ = new ZipSqe(request.Sqe) { Layout = ZipSqeLayout.V3, InputLength = 3 };

        pool.Run(request);

        Assert.Same(pool, WarpDriveAccelerator.Shared);
        Assert.True(WarpDriveAccelerator.IsSharedCreated);
        Assert.Equal(3u, new ZipSqe(request.Sqe).Consumed);
    }

    [Fact]
    public void Create_gives_an_own_pool_and_rejects_bad_options()
    {
        using var pool = WarpDriveAccelerator.Create(new WarpDriveOptions { SoftEngine = { WorkerCount = 1 } });

        using var other = WarpDriveAccelerator.Create(new WarpDriveOptions { SoftEngine = { WorkerCount = 1 } });
        Assert.NotSame(pool, other);
        Assert.NotSame(pool, WarpDriveAccelerator.Shared);
        var e = Assert.Throws<ArgumentException>(() => WarpDriveAccelerator.Create(new WarpDriveOptions { MaxInFlightPerQueue = -1 }));
        Assert.Contains(nameof(WarpDriveOptions.MaxInFlightPerQueue), e.Message, StringComparison.Ordinal);
    }
}
