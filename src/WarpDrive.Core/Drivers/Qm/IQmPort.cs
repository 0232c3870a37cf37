namespace WarpDrive.Drivers.Qm;

/// <summary>
/// The two things that differ between a hardware queue and a soft one: how a doorbell reaches the device and
/// how a thread sleeps until the device posts a completion. Everything else is <see cref="QmQueuePair"/>.
/// </summary>
internal interface IQmPort
{
    /// <summary>Stores the 64-bit doorbell word. Called after a full fence; must be a single store.</summary>
    void Ring(ulong doorbell);

    /// <summary>Blocks until the device signals a completion (or the timeout passes). The CQ interrupt is armed first.</summary>
    bool WaitForCompletion(TimeSpan timeout);

    /// <summary>Waits asynchronously until the device signals a completion (or the timeout passes).</summary>
    ValueTask<bool> WaitForCompletionAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
