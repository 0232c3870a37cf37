namespace WarpDrive.Cli.Measurements;

/// <summary>What a measurement reports: nanoseconds per operation, or operations per second.</summary>
internal enum MeasureUnit
{
    /// <summary>Nanoseconds per operation (lower is better).</summary>
    Nanoseconds,
    /// <summary>Requests per second (higher is better).</summary>
    RequestsPerSecond,
}

/// <summary>
/// One thing to time: set up in the constructor, <see cref="Run"/> repeats it, torn down in
/// <see cref="IDisposable.Dispose"/>. The runner calibrates the iteration count and keeps the median of several runs.
/// </summary>
internal interface IMeasurable : IDisposable
{
    /// <summary>The system measured, for example <c>warpdrive-soft-queue</c> or <c>pipe</c>.</summary>
    string System { get; }

    /// <summary>What was done, for example <c>round_trip</c> or <c>batched_nop</c>.</summary>
    string Operation { get; }

    MeasureUnit Unit { get; }

    /// <summary>Operations one iteration does (the batch size for batched measurements, else 1).</summary>
    int OperationsPerIteration { get; }

    /// <summary>Extra facts for the JSON record (worker count, batch size, device).</summary>
    IReadOnlyDictionary<string, object> Details { get; }

    /// <summary>Does <paramref name="iterations"/> iterations.</summary>
    void Run(long iterations);
}
