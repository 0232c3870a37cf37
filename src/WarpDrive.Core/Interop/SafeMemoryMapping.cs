using System.Runtime.InteropServices;

namespace WarpDrive.Interop;

/// <summary>
/// Owns one mmap'ed range and unmaps it exactly once, also from the finalizer thread when its owner was never
/// disposed (a leaked uacce mapping would pin the kernel queue for the rest of the process's life).
/// </summary>
internal sealed unsafe class SafeMemoryMapping : SafeHandle
{
    /// <summary>Wraps a successful mapping of <paramref name="length"/> bytes at <paramref name="address"/>.</summary>
    public SafeMemoryMapping(void* address, long length) : base(Libc.MapFailed, ownsHandle: true)
    {
        SetHandle((nint)address);
        Length = length;
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == Libc.MapFailed || handle == 0;

    /// <summary>Start of the mapping.</summary>
    public byte* Pointer => (byte*)handle;

    /// <summary>Length of the mapping in bytes.</summary>
    public long Length { get; }

    /// <inheritdoc />
    protected override bool ReleaseHandle() => Libc.Munmap((void*)handle, (nuint)Length) == 0;
}
