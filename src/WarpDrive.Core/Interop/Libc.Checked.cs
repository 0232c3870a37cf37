namespace WarpDrive.Interop;

/// <summary>
/// The raw calls wrapped for use with SafeHandles: each holds a reference on the descriptor for the duration of
/// the call (so a concurrent Dispose cannot close it and let the number be reused under us) and returns the
/// errno instead of a −1, so callers branch on it or hand it to <see cref="Errno.ToException"/>.
/// </summary>
internal static unsafe partial class Libc
{
    /// <summary>Opens <paramref name="path"/>; throws the <see cref="Errno"/>-mapped exception on failure.</summary>
    public static SafeFileDescriptor OpenFile(string path, int flags)
    {
        int errno = TryOpenFile(path, flags, out var fd);
        return errno == 0 ? fd! : throw Errno.ToException(errno, "open", path);
    }

    /// <summary>Opens <paramref name="path"/>; returns 0 and the descriptor, or the errno.</summary>
    public static int TryOpenFile(string path, int flags, out SafeFileDescriptor? fd)
    {
        ArgumentNullException.ThrowIfNull(path);
        while (true)
        {
            int raw = Open(path, flags, 0);
            if (raw >= 0)
            {
                fd = new SafeFileDescriptor(raw);
                return 0;
            }
            int errno = Errno.Last;
            if (errno != Errno.EINTR)
            {
                fd = null;
                return errno;
            }
        }
    }

    /// <summary>ioctl with a pointer argument; returns 0 or the errno. Not retried on EINTR: a command may not be idempotent.</summary>
    public static int TryIoctl(SafeFileDescriptor fd, uint request, void* arg)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            return Ioctl(fd.Number, request, arg) < 0 ? Errno.Last : 0;
        }
        finally
        {
            if (added)
                fd.DangerousRelease();
        }
    }

    /// <summary>ioctl with an integer argument passed by value (like <c>F_DUPFD</c>); returns 0 or the errno.</summary>
    public static int TryIoctlValue(SafeFileDescriptor fd, uint request, nint value)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            return Ioctl(fd.Number, request, value) < 0 ? Errno.Last : 0;
        }
        finally
        {
            if (added)
                fd.DangerousRelease();
        }
    }

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="fd"/> at byte <paramref name="offset"/>, read/write and shared.</summary>
    /// <returns>0 and the mapping, or the errno.</returns>
    public static int TryMapShared(SafeFileDescriptor fd, long length, long offset, out SafeMemoryMapping? mapping)
    {
        mapping = null;
        if (length <= 0)
            return Errno.EINVAL;
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            void* p = Mmap(null, (nuint)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd.Number, offset);
            if ((nint)p == MapFailed)
                return Errno.Last;
            mapping = new SafeMemoryMapping(p, length);
            return 0;
        }
        finally
        {
            if (added)
                fd.DangerousRelease();
        }
    }

    /// <summary>poll() on one descriptor.</summary>
    /// <param name="fd">The descriptor.</param>
    /// <param name="events">Events to wait for, e.g. <see cref="POLLIN"/>.</param>
    /// <param name="timeoutMs">Milliseconds, −1 for no limit.</param>
    /// <param name="revents">The events that happened; 0 on timeout.</param>
    /// <returns>0 (ready or timed out, see <paramref name="revents"/>) or the errno (EINTR included: the caller decides about the remaining time).</returns>
    public static int TryPoll(SafeFileDescriptor fd, short events, int timeoutMs, out short revents)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            var pfd = new PollFd { Fd = fd.Number, Events = events };
            int n = Poll(&pfd, 1, timeoutMs);
            revents = n > 0 ? pfd.Revents : (short)0;
            return n < 0 ? Errno.Last : 0;
        }
        finally
        {
            if (added)
                fd.DangerousRelease();
        }
    }

    /// <summary>The NUMA node of the CPU the calling thread runs on now; 0 when the C library cannot tell.</summary>
    public static int CurrentNumaNode()
    {
        try
        {
            uint cpu, node;
            return GetCpu(&cpu, &node) == 0 ? (int)node : 0;
        }
        catch (EntryPointNotFoundException)
        {
            return 0; // glibc < 2.29 or musl without getcpu: no placement hint
        }
    }
}
