using WarpDrive.Memory;

namespace WarpDrive.Queues;

/// <summary>
/// One queue on one device: the contract shared by hardware uacce queues and the in-process soft engine
/// (DESIGN.md, "The queue"). Requests and results are raw SQEs; <see cref="Drivers.Qm.ZipSqe"/> and
/// <see cref="Drivers.Qm.HpreSqe"/> read and write their fields.
/// </summary>
/// <remarks>One thread may send and one thread may receive at a time; nothing on the data path makes a system call.</remarks>
public interface IAcceleratorQueue : IDisposable
{
    /// <summary>The device this queue belongs to.</summary>
    AcceleratorDeviceInfo Device { get; }

    /// <summary>The algorithm the queue was opened for (for example <c>gzip</c> or <c>rsa</c>).</summary>
    AcceleratorAlgorithm Algorithm { get; }

    /// <summary>The queue type passed to the device: for ZIP 0 = compress, 1 = decompress.</summary>
    int QueueType { get; }

    /// <summary>Bytes per SQE (128 for ZIP, 64 for HPRE).</summary>
    int SqeSize { get; }

    /// <summary>Ring depth; at most <c>Depth − 1</c> requests are in flight.</summary>
    int Depth { get; }

    /// <summary>Requests sent whose slot is not yet released.</summary>
    int InFlight { get; }

    /// <summary>Writes one SQE or several back to back and rings the doorbell once. Never blocks.</summary>
    /// <returns>False when the ring has no room for all of them; nothing was sent then.</returns>
    /// <exception cref="QueueStoppedException">The device stopped the queue.</exception>
    /// <exception cref="DeviceRemovedException">The device is gone.</exception>
    bool TrySend(ReadOnlySpan<byte> sqes);

    /// <summary>Polls the completion queue once, without a system call.</summary>
    /// <param name="completedSqe">Receives the finished SQE with the device's results.</param>
    bool TryReceive(Span<byte> completedSqe);

    /// <summary>Waits for the next completion: spins briefly, then sleeps until the device signals.</summary>
    /// <exception cref="TimeoutException">No completion arrived within <paramref name="timeout"/>.</exception>
    void Receive(Span<byte> completedSqe, TimeSpan timeout);

    /// <summary>Waits for the next completion without blocking a thread.</summary>
    /// <exception cref="TimeoutException">No completion arrived within <paramref name="timeout"/>.</exception>
    ValueTask ReceiveAsync(Memory<byte> completedSqe, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Waits until the device has completed everything sent so far; the completions stay to be received.</summary>
    /// <exception cref="TimeoutException">The device did not finish within <paramref name="timeout"/>.</exception>
    void Flush(TimeSpan timeout);

    /// <summary>Re-rings the SQ doorbell with the current tail, recovering a doorbell the device did not see.</summary>
    void Kick();

    /// <summary>
    /// Reserves the queue's static shared region (no-SVA devices address buffers as offsets into it).
    /// On SVA devices the region is ordinary pinned memory whose addresses are pointers.
    /// </summary>
    SharedRegion ReserveMemory(long size);
}
