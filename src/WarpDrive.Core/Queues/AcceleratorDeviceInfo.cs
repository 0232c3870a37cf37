namespace WarpDrive.Queues;

/// <summary>What kind of device serves a queue, in the order the pool prefers them.</summary>
public enum AcceleratorKind
{
    /// <summary>Real accelerator hardware through uacce.</summary>
    Hardware = 0,
    /// <summary>A uacce device whose engine is a kernel thread (our <c>native/hisi-zip</c> soft engine).</summary>
    KernelSoft = 1,
    /// <summary>The in-process soft engine.</summary>
    InProcess = 2,
}

/// <summary>A device that serves queues, as discovery or the soft engine describes it.</summary>
/// <param name="Name">Device name, for example <c>hisi_zip-0</c> or <c>soft-0</c>.</param>
/// <param name="Kind">Hardware, kernel soft engine or in-process.</param>
/// <param name="Api">The <c>api</c> string, for example <c>hisi_qm_v2</c>.</param>
/// <param name="Algorithms">Algorithms the device serves.</param>
/// <param name="Sva">True when SQEs carry process addresses; false when they carry offsets into a shared region.</param>
/// <param name="AvailableQueues">Free queues, or −1 when unknown.</param>
/// <param name="NumaNode">NUMA node, 0 when unknown.</param>
public sealed record AcceleratorDeviceInfo(
    string Name,
    AcceleratorKind Kind,
    string Api,
    IReadOnlyList<string> Algorithms,
    bool Sva,
    int AvailableQueues,
    int NumaNode)
{
    /// <summary>True when the device serves <paramref name="algorithm"/>.</summary>
    public bool Supports(AcceleratorAlgorithm algorithm) => Algorithms.Contains(algorithm.Name, StringComparer.Ordinal);
}

/// <summary>A device that can open queues.</summary>
public interface IAcceleratorDevice
{
    /// <summary>What the device is.</summary>
    AcceleratorDeviceInfo Info { get; }

    /// <summary>Opens a queue for <paramref name="algorithm"/> with queue type <paramref name="queueType"/> (ZIP: 0 compress, 1 decompress).</summary>
    /// <exception cref="AcceleratorException">No queue could be opened.</exception>
    IAcceleratorQueue OpenQueue(AcceleratorAlgorithm algorithm, int queueType = 0);
}
