namespace WarpDrive.Devices.Soft;

/// <summary>Executes one SQE in place: reads its fields, does the work, writes the results into the same bytes.</summary>
internal interface ISoftExecutor
{
    /// <summary>
    /// True when a request takes long enough (compression, RSA) that a doorbell arriving meanwhile should wake
    /// another worker; false for work that finishes in nanoseconds, where the wake would cost more.
    /// </summary>
    bool Lengthy { get; }

    /// <summary>Runs the request. Must not throw: every failure becomes an error status in the SQE.</summary>
    void Execute(Span<byte> sqe, in SoftAddressSpace memory, ISoftStreams streams);

    /// <summary>Marks the request failed with the device's generic error status (fault injection).</summary>
    void Fail(Span<byte> sqe);

    /// <summary>Flips one byte of the result (fault injection: a device that answers wrongly).</summary>
    void Corrupt(Span<byte> sqe, in SoftAddressSpace memory);
}
