namespace WarpDrive.Compression.DataPath;

/// <summary>
/// The synchronous face of an engine core written once over <see cref="ValueTask"/>: a synchronous operation sets
/// the engine to wait on the calling thread (a sync <see cref="Stream"/> call, <see cref="RequestWaiter.Wait"/>), so
/// the core has completed by the time it returns, and its result is taken here without blocking on a task.
/// </summary>
internal static class Synchronously
{
    public static T Result<T>(ValueTask<T> core) => core.IsCompleted ? core.GetAwaiter().GetResult() : throw NotCompleted();

    public static void Complete(ValueTask core)
    {
        if (!core.IsCompleted)
            throw NotCompleted();
        core.GetAwaiter().GetResult();
    }

    // An engine bug, not a caller's: some wait inside did not honour the synchronous mode.
    private static InvalidOperationException NotCompleted() =>
        new("A synchronous compression operation did not complete synchronously.");
}
