namespace WarpDrive.Compression.DataPath;

/// <summary>
/// One operation at a time on a compression stream, and a dispose that never takes buffers from under one: a
/// dispose that comes while an operation runs only marks the stream, and the operation, when it returns, frees
/// what the stream holds and fails with <see cref="ObjectDisposedException"/>. Buffers the operation's source or
/// device may still write therefore return to their pools only after it.
/// </summary>
internal sealed class OperationGate
{
    private const int Idle = 0, Busy = 1, Disposed = 2;
    private int _state;

    public bool IsDisposed => Volatile.Read(ref _state) == Disposed;

    /// <summary>Starts an operation.</summary>
    /// <exception cref="ObjectDisposedException">The stream is disposed.</exception>
    /// <exception cref="InvalidOperationException">Another operation has not completed.</exception>
    public void Enter(object owner)
    {
        switch (Interlocked.CompareExchange(ref _state, Busy, Idle))
        {
            case Disposed:
                throw new ObjectDisposedException(owner.GetType().Name);
            case Busy:
                throw new InvalidOperationException("The stream is in use by a previous operation that has not completed.");
        }
    }

    /// <summary>Ends an operation; true when the stream was disposed meanwhile and the caller must free it.</summary>
    public bool Exit() => Interlocked.CompareExchange(ref _state, Idle, Busy) == Disposed;

    /// <summary>
    /// Marks the stream disposed. True when no operation runs (the caller frees the stream now, once); false when
    /// one does (it frees the stream when it returns) or the stream was already disposed.
    /// </summary>
    public bool Dispose(out bool wasBusy)
    {
        int prior = Interlocked.Exchange(ref _state, Disposed);
        wasBusy = prior == Busy;
        return prior == Idle;
    }
}
