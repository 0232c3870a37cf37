using System.Runtime.InteropServices;
using WarpDrive.Queues;

namespace WarpDrive.Interop;

/// <summary>
/// errno values WarpDrive reacts to, and the mapping of a failed libc call to the exception a .NET caller
/// expects. Values are the asm-generic ones (x86_64 and arm64).
/// </summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENFILE = 23;
    public const int EMFILE = 24;
    public const int ENOTTY = 25;
    public const int ENOSPC = 28;
    public const int ENOSYS = 38;
    public const int EOPNOTSUPP = 95;

    /// <summary>The errno of the last [LibraryImport(SetLastError = true)] call on this thread.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>The symbolic name, e.g. <c>ENXIO</c>, or <c>errno N</c> for values not listed here.</summary>
    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        EINTR => "EINTR",
        EIO => "EIO",
        ENXIO => "ENXIO",
        EBADF => "EBADF",
        EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EFAULT => "EFAULT",
        EBUSY => "EBUSY",
        EEXIST => "EEXIST",
        ENODEV => "ENODEV",
        ENOTDIR => "ENOTDIR",
        EISDIR => "EISDIR",
        EINVAL => "EINVAL",
        ENFILE => "ENFILE",
        EMFILE => "EMFILE",
        ENOTTY => "ENOTTY",
        ENOSPC => "ENOSPC",
        ENOSYS => "ENOSYS",
        EOPNOTSUPP => "EOPNOTSUPP",
        _ => $"errno {errno}",
    };

    /// <summary>"ENOTTY (Inappropriate ioctl for device)": the name and libc's strerror text.</summary>
    public static string Describe(int errno) => $"{Name(errno)} ({Marshal.GetPInvokeErrorMessage(errno)})";

    /// <summary>
    /// The exception for a failed call: <see cref="DeviceRemovedException"/> for ENXIO (uacce's answer on a
    /// queue whose device is gone), <see cref="UnauthorizedAccessException"/> for EACCES/EPERM,
    /// <see cref="FileNotFoundException"/> for ENOENT, otherwise <see cref="AcceleratorException"/>. The
    /// message names the operation, the path when there is one, and the errno.
    /// </summary>
    /// <param name="errno">The errno the call left.</param>
    /// <param name="operation">What was attempted, e.g. <c>open</c> or <c>ioctl UACCE_CMD_START_Q</c>.</param>
    /// <param name="path">The file the call was about, when known.</param>
    public static Exception ToException(int errno, string operation, string? path)
    {
        string where = path is null ? operation : $"{operation} {path}";
        string message = $"{where} failed: {Describe(errno)}.";
        return errno switch
        {
            ENXIO => new DeviceRemovedException($"device removed: {message}"),
            EACCES or EPERM => new UnauthorizedAccessException(message),
            ENOENT => new FileNotFoundException(message, path),
            _ => new AcceleratorException(message),
        };
    }
}
