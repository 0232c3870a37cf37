namespace WarpDrive.Queues;

/// <summary>
/// The queue contract as the pool drives it: SQEs written straight into their ring slots and published with one
/// doorbell, completions read where they lie, and a device that may lend itself to the caller's thread. Every
/// queue the QM user driver runs implements it, whatever the device behind.
/// </summary>
internal interface IRingQueue : IAcceleratorQueue
{
    /// <summary>The slot the next SQE sent will occupy (so a request can be registered before the device can finish it).</summary>
    int NextSlot { get; }

    /// <summary>SQEs that can be sent now.</summary>
    int FreeSlots { get; }

    /// <summary>The ring slot for the <paramref name="index"/>-th next SQE, to write in place before <see cref="Publish"/>.</summary>
    Span<byte> Unsent(int index);

    /// <summary>Hands the next <paramref name="count"/> SQEs written in place to the device with one doorbell.</summary>
    /// <param name="count">How many.</param>
    /// <param name="quietly">Wake none of the device's threads: the caller runs the request (<see cref="TryRunOnCaller"/>) or rings again.</param>
    void Publish(int count, bool quietly = false);

    /// <summary>Polls once; a completed SQE is given where it lies in the ring, valid until the next send on this queue.</summary>
    bool TryReceive(out int slot, out ReadOnlySpan<byte> completedSqe);

    /// <summary>Waits until a completion is posted (polling first unless <paramref name="poll"/> is false), leaving it to be received.</summary>
    bool WaitForCompletion(TimeSpan timeout, bool poll = true);

    /// <summary>True when the device can run a request on the submitting thread.</summary>
    bool CanRunOnCaller { get; }

    /// <summary>Runs one published request on the calling thread, if the device can; false when nothing ran.</summary>
    bool TryRunOnCaller();
}
