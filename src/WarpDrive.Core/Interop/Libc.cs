using System.Runtime.InteropServices;

namespace WarpDrive.Interop;

/// <summary>
/// The libc calls WarpDrive makes: open/close, ioctl, mmap/munmap and poll. Nothing else in the project calls
/// libc. These are the raw entry points (return −1 and set errno on failure); <c>Libc.Checked.cs</c> wraps them
/// with SafeHandles and errno mapping.
/// </summary>
/// <remarks>
/// Constants are the asm-generic values shared by x86_64 and arm64, the two architectures WarpDrive runs on.
/// fds are returned as <c>int</c> and wrapped afterwards: a SafeHandle return type would turn a failed open
/// (−1) into a handle object before anyone checked it.
/// </remarks>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    public const int O_RDONLY = 0;
    public const int O_RDWR = 2;
    public const int O_CLOEXEC = 0x80000;

    public const int PROT_READ = 1;
    public const int PROT_WRITE = 2;
    public const int MAP_SHARED = 1;

    /// <summary>What mmap returns on failure: <c>(void*)-1</c>.</summary>
    public static readonly nint MapFailed = -1;

    public const short POLLIN = 0x001;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const short POLLNVAL = 0x020;

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    // ioctl is variadic in C; on x86_64 and arm64 Linux a variadic int/pointer argument travels exactly like a
    // fixed one, so two fixed-signature imports cover the "pointer to struct" and "int by value" forms.
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* arg);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, nint arg);

    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    public static partial void* Mmap(void* addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(void* addr, nuint length);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint nfds, int timeoutMs);

    // glibc ≥ 2.29. Used only to tell which NUMA node the calling thread runs on.
    [LibraryImport(Library, EntryPoint = "getcpu", SetLastError = true)]
    public static partial int GetCpu(uint* cpu, uint* node);
}
