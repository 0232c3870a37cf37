using System.Diagnostics;
using WarpDrive.Memory;
using WarpDrive.Queues;

namespace WarpDrive.Scheduling;

/// <summary>
/// One queue as the pool uses it: the requests in flight by slot, staging space for devices without SVA, and
/// an ownership gate. Each thread gets its own lanes, so the gate is uncontended on the hot path; the async
/// completion reaper and failure handling are the only other takers.
/// </summary>
internal sealed class Lane(IAcceleratorDevice device, IRingQueue queue, int maxInFlight, SharedRegion? region)
{
    private const int MaxBuffers = 4;
    private int _gate;

    public IAcceleratorDevice Device { get; } = device;
    public IRingQueue Queue { get; } = queue;
    public string DeviceName { get; } = device.Info.Name;
    public int MaxInFlight { get; } = Math.Min(maxInFlight, queue.Depth - 1);
    public AcceleratorRequest?[] Pending { get; } = new AcceleratorRequest?[queue.Depth];
    public SharedRegion? Region { get; } = region;
    public RegionAllocator? Allocator { get; } = region is null ? null : new RegionAllocator(region.Size);

    /// <summary>Staging offsets by slot and buffer index (no-SVA only).</summary>
    public long[] Staged { get; } = region is null ? [] : new long[queue.Depth * MaxBuffers];

    public int Outstanding { get; set; }
    public uint NextTag { get; set; }
    public bool Dead { get; set; }
    public bool Kicked { get; set; }

    /// <summary>Submit-to-completion time of the lane's last request, in stopwatch ticks.</summary>
    public long LastLatency { get; set; }

    /// <summary>When the lane last made progress (a completion, or a send into an idle lane).</summary>
    public long LastProgress { get; set; } = Stopwatch.GetTimestamp();

    /// <summary>
    /// Requests the lane can send now: bounded by the pool's in-flight limit and by the ring, which frees slots
    /// in submission order and so may hold more slots than there are requests outstanding.
    /// </summary>
    public int Room => Math.Min(MaxInFlight - Outstanding, Queue.FreeSlots);

    public bool TryEnter() => Interlocked.CompareExchange(ref _gate, 1, 0) == 0;

    public void Enter()
    {
        var spin = new SpinWait();
        while (!TryEnter())
            spin.SpinOnce(sleep1Threshold: -1);
    }

    public void Exit() => Volatile.Write(ref _gate, 0);

    public static int StagedIndex(int slot, int buffer) => slot * MaxBuffers + buffer;
}
