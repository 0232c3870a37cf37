using System.Runtime.InteropServices;
using WarpDrive.Drivers.Qm;
using WarpDrive.Memory;
using WarpDrive.Queues;

namespace WarpDrive.Devices.Soft;

/// <summary>A queue on the in-process soft engine: the QM user driver over memory the engine shares with it.</summary>
internal sealed unsafe class SoftQueue : QmQueue, IRegionHost
{
    private readonly SoftDevice _device;
    private readonly SoftHardwareQueue _hardware;
    private SharedRegion? _region;

    public SoftQueue(SoftDevice device, SoftHardwareQueue hardware, AcceleratorAlgorithm algorithm, int queueType)
        : base(device.Info, algorithm, queueType)
    {
        _device = device;
        _hardware = hardware;
        var port = new Port(hardware);
        Attach(new QmQueuePair(hardware.Dus, hardware.Layout, hardware.Format, hardware.Qn, port), port);
    }

    internal SoftHardwareQueue Hardware => _hardware;

    public override SharedRegion ReserveMemory(long size)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (_region != null)
            throw new InvalidOperationException("The queue already has a shared region (a region maps once per queue).");
        var pointer = (byte*)NativeMemory.AlignedAlloc((nuint)size, 4096);
        NativeMemory.Clear(pointer, (nuint)size);
        var region = new SharedRegion(pointer, size, _hardware.Sva, _device, () => NativeMemory.AlignedFree(pointer));
        AttachRegion(region);
        return region;
    }

    public void AttachRegion(SharedRegion region)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (region.Owner != _device)
            throw new ArgumentException("A region can be shared only with queues of the same device.", nameof(region));
        _region = region;
        _hardware.Region = ((nint)region.Start, region.Size);
    }

    protected override void Dispose(bool disposing)
    {
        _device.Close(this);
        base.Dispose(disposing);
    }

    /// <summary>
    /// Doorbell = a register write the engine decodes; sleep = the interrupt semaphore. The engine runs in this
    /// process, so a submitter can also lend it its own thread.
    /// </summary>
    private sealed class Port(SoftHardwareQueue hardware) : ICallerRunPort
    {
        public void Ring(ulong doorbell) => hardware.OnDoorbell(doorbell);

        public void RingQuietly(ulong doorbell) => hardware.OnDoorbell(doorbell, wake: false);

        public bool TryRunOne() => hardware.RunOnCaller();

        public bool WaitForCompletion(TimeSpan timeout) => hardware.Interrupt.Wait(Clamp(timeout));

        public ValueTask<bool> WaitForCompletionAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
            new(hardware.Interrupt.WaitAsync(Clamp(timeout), cancellationToken));

        private static TimeSpan Clamp(TimeSpan t) => t > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : t;
    }
}
