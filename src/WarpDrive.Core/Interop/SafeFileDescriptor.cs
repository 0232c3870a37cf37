using System.Runtime.InteropServices;

namespace WarpDrive.Interop;

/// <summary>
/// Owns one file descriptor and closes it exactly once. fd 0 is a valid descriptor, so only −1 is invalid
/// (SafeHandleZeroOrMinusOneIsInvalid would leak fd 0 or refuse it).
/// </summary>
internal sealed class SafeFileDescriptor : SafeHandle
{
    /// <summary>Wraps <paramref name="fd"/>, which the caller has checked is ≥ 0.</summary>
    public SafeFileDescriptor(int fd) : base(-1, ownsHandle: true) => SetHandle(fd);

    /// <inheritdoc />
    public override bool IsInvalid => handle == -1;

    /// <summary>The descriptor number. Pass it to a call only while holding a reference (DangerousAddRef), as <see cref="Libc"/>'s wrappers do.</summary>
    public int Number => (int)handle;

    /// <inheritdoc />
    protected override bool ReleaseHandle() =>
        // close() frees the descriptor even when it reports EINTR or EIO on Linux; never retry it.
        Libc.Close((int)handle) == 0;
}
