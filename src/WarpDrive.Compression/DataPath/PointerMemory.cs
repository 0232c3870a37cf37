using System.Buffers;

namespace WarpDrive.Compression.DataPath;

/// <summary>
/// A <see cref="Memory{T}"/> over memory the caller has fixed, for a request that completes before the caller's
/// <c>fixed</c> block ends (a run in line). Reusable: <see cref="Point"/> aims it anew, so it costs no allocation per call.
/// </summary>
internal sealed unsafe class PointerMemory : MemoryManager<byte>
{
    private byte* _pointer;
    private int _length;

    /// <summary>Aims the memory at <paramref name="length"/> bytes at <paramref name="pointer"/>.</summary>
    public void Point(byte* pointer, int length)
    {
        _pointer = pointer;
        _length = length;
    }

    /// <inheritdoc />
    public override Span<byte> GetSpan() => new(_pointer, _length);

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    /// <inheritdoc />
    public override void Unpin()
    {
        // Fixed by the caller.
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing) => _pointer = null;
}
