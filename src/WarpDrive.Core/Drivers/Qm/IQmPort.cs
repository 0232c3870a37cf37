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

/// <summary>
/// A port whose device can run a request on the submitting thread (the in-process soft engine): a synchronous
/// submitter alone on its queue rings without waking the device's own threads, then lends it this thread, sparing
/// two thread wake-ups. The request still goes SQ to CQ.
/// </summary>
internal interface ICallerRunPort : IQmPort
{
    /// <summary>Stores the doorbell like <see cref="IQmPort.Ring"/> but wakes nothing: the caller runs the request or rings again.</summary>
    void RingQuietly(ulong doorbell);

    /// <summary>Runs one announced request on the calling thread; false when the device declined (nothing ran).</summary>
    bool TryRunOne();
}
