using WarpDrive.Interop;
using WarpDrive.Queues;

namespace WarpDrive.Devices.Uacce;

/// <summary>
/// One open of a uacce character device (= one hardware queue, spec §1.5): the fd, its MMIO and DUS mappings,
/// the ioctl calls on it, and the teardown order PUT_Q → munmap → close.
/// </summary>
/// <remarks>
/// Every failure with ENXIO (the queue is a zombie: its device was removed) is remembered, so the queue
/// refuses further use with <see cref="DeviceRemovedException"/> instead of touching zapped mappings.
/// </remarks>
internal sealed unsafe class UacceQueueFile : IDisposable
{
    private readonly SafeFileDescriptor _fd;
    private readonly SafeMemoryMapping _dus;
    private readonly SafeMemoryMapping _mmio;
    private volatile bool _removed;
    private bool _started;
    private int _disposed;

    private UacceQueueFile(string path, SafeFileDescriptor fd, SafeMemoryMapping dus, SafeMemoryMapping mmio)
    {
        Path = path;
        _fd = fd;
        _dus = dus;
        _mmio = mmio;
    }

    /// <summary>The character device path, for messages.</summary>
    public string Path { get; }

    /// <summary>The descriptor (poll, further mappings, region sharing).</summary>
    public SafeFileDescriptor Fd => _fd;

    /// <summary>Start of the DUS mapping: SQ, CQ, stop words.</summary>
    public byte* Dus => _dus.Pointer;

    /// <summary>Start of the MMIO mapping: the doorbell.</summary>
    public byte* Mmio => _mmio.Pointer;

    /// <summary>True once a call reported that the device is gone.</summary>
    public bool Removed => _removed;

    /// <summary>Opens <paramref name="path"/> and maps DUS then MMIO (uadk's order), each read/write and shared.</summary>
    /// <exception cref="DeviceRemovedException">The device is gone (ENODEV on open, ENXIO anywhere).</exception>
    /// <exception cref="AcceleratorException">Any other failure; nothing stays open.</exception>
    public static UacceQueueFile Open(string path, long dusSize, long mmioSize)
    {
        int errno = Libc.TryOpenFile(path, Libc.O_RDWR | Libc.O_CLOEXEC, out var fd);
        if (errno == Errno.ENODEV)
            throw new DeviceRemovedException($"device removed: open {path} failed: {Errno.Describe(errno)}.");
        if (errno != 0)
            throw Errno.ToException(errno, "open", path);

        SafeMemoryMapping? dus = null, mmio = null;
        try
        {
            int page = Environment.SystemPageSize;
            errno = Libc.TryMapShared(fd!, dusSize, (long)UacceIoctl.RegionDus * page, out dus);
            if (errno != 0)
                throw Errno.ToException(errno, $"mmap DUS ({dusSize} bytes) of", path);
            errno = Libc.TryMapShared(fd!, mmioSize, (long)UacceIoctl.RegionMmio * page, out mmio);
            if (errno != 0)
                throw Errno.ToException(errno, $"mmap MMIO ({mmioSize} bytes) of", path);
            return new UacceQueueFile(path, fd!, dus!, mmio!);
        }
        catch
        {
            mmio?.Dispose();
            dus?.Dispose();
            fd!.Dispose();
            throw;
        }
    }

    /// <summary>Issues <paramref name="request"/>; returns 0 or the errno, remembering ENXIO.</summary>
    public int TryIoctl(uint request, void* arg) => Note(Libc.TryIoctl(_fd, request, arg));

    /// <summary>Issues <paramref name="request"/>; throws the mapped exception on failure.</summary>
    /// <param name="request">The ioctl number.</param>
    /// <param name="name">Its name for the message, e.g. <c>UACCE_CMD_START_Q</c>.</param>
    /// <param name="arg">The argument pointer, or null.</param>
    public void Ioctl(uint request, string name, void* arg)
    {
        int errno = TryIoctl(request, arg);
        if (errno != 0)
            throw Fail(errno, $"ioctl {name} on");
    }

    /// <summary>Starts the queue (<c>UACCE_CMD_START_Q</c>); teardown will then issue PUT_Q.</summary>
    public void Start()
    {
        Ioctl(UacceIoctl.StartQ, "UACCE_CMD_START_Q", null);
        _started = true;
    }

    /// <summary>The exception for <paramref name="errno"/> from <paramref name="operation"/>, remembering ENXIO.</summary>
    public Exception Fail(int errno, string operation) => Errno.ToException(Note(errno), operation, Path);

    /// <summary>Remembers that the device is gone (poll reported POLLERR/POLLHUP, or a call ENXIO).</summary>
    public void MarkRemoved() => _removed = true;

    private int Note(int errno)
    {
        if (errno == Errno.ENXIO)
            _removed = true;
        return errno;
    }

    /// <summary>PUT_Q, then munmap both regions, then close. Never throws.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_started && !_removed)
        {
            // Old kernels free the hardware queue here (it becomes a zombie), new ones only stop it and free it
            // on close. Either way the result does not matter: ENXIO (already a zombie) and EINVAL (not started)
            // are expected, and nothing else can be done about any other error than closing.
            _ = Libc.TryIoctl(_fd, UacceIoctl.PutQ, null);
        }
        _mmio.Dispose();
        _dus.Dispose();
        _fd.Dispose();
    }
}
