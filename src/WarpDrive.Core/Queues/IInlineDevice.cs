namespace WarpDrive.Queues;

/// <summary>
/// A device that can also run a request on the calling thread, straight from process memory and with no queue:
/// what the pool uses for requests too small to be worth a queue's round trip, and to re-run a request another
/// device failed. The in-process soft engine is one; hardware is not.
/// </summary>
internal interface IInlineDevice : IAcceleratorDevice
{
    /// <summary>
    /// Runs <paramref name="sqe"/> in place, its buffer addresses process pointers, and writes the results into it
    /// as a queue would. A stream-mode request keeps its stream's state in <paramref name="stream"/>, which the
    /// device creates on the first such run and the request holds (and disposes to abandon the stream). Must not
    /// throw for bad input: that is an error status.
    /// </summary>
    void RunInline(AcceleratorAlgorithm algorithm, int queueType, Span<byte> sqe, ref IDisposable? stream);
}
