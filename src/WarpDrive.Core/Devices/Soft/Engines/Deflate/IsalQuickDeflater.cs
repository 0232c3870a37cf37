using WarpDrive.Interop;
using static WarpDrive.Interop.IsalNative;

namespace WarpDrive.Devices.Soft.Engines.Deflate;

/// <summary>
/// ISA-L's level 0 as one stateless call, for a whole small body at level 1: no hash table to clear and no
/// per-request table build, which is most of a small compression's cost on zlib-ng (its 128 KiB hash clear) and on
/// ISA-L's level 1. With deflate's fixed Huffman codes (no table to send, none for the reader to build), on the
/// small-body bench's text and JSON from 100 B to 4 KiB: 1.35–3.9× GZipStream's Fastest, output 0.97–1.02× its
/// size. Bodies at or above <see cref="DeflateCodecs.QuickMaximumInput"/> keep ISA-L's level 1 (its output is
/// 15–30 % smaller there).
/// Bodies that start from nothing only (no dictionary), in one call that finishes or ends on a flush (the first
/// piece of a stream that flushed early). One per thread; not thread-safe.
/// </summary>
internal sealed unsafe class IsalQuickDeflater : IDeflateCompressor
{
    private const int StatelessOverflow = -1; // STATELESS_OVERFLOW: the output did not fit
    private const ushort NoFlush = 0;
    private const ushort FullFlush = 2;

    [ThreadStatic]
    private static IsalQuickDeflater? t_spare;

    private byte* _stream = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(StreamSize + 4096);

    /// <summary>Frees the native stream when a thread that kept this one ends.</summary>
    ~IsalQuickDeflater() => Free();

    /// <summary>This thread's instance (hand it back with <see cref="Return"/>).</summary>
    public static IsalQuickDeflater Rent()
    {
        var quick = t_spare ?? new IsalQuickDeflater();
        t_spare = null;
        return quick;
    }

    /// <summary>Keeps the instance for the thread's next body.</summary>
    public static void Return(IsalQuickDeflater quick)
    {
        if (t_spare is null)
            t_spare = quick;
        else
            quick.Dispose();
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A dictionary: this codec starts from nothing.</exception>
    public void Prime(ReadOnlySpan<byte> dictionary)
    {
        if (!dictionary.IsEmpty)
            throw new InvalidOperationException("The quick deflater compresses without a dictionary.");
    }

    /// <inheritdoc />
    /// <remarks>Not finishing ends on a full flush: byte-aligned after an empty stored block, as a sync flush.</remarks>
    public CodecResult Run(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            IsalNative.StatelessInit(_stream);
            // Fixed Huffman codes: a small body gains little from its own table, and a reader must build one to
            // decode it (ISA-L's default table made 1 KiB bodies 2.8x slower to inflate and 20 % bigger).
            if (IsalNative.SetHuffmanTables(_stream, null, IsalNative.HuffmanStatic) != 0)
                throw new InvalidOperationException("ISA-L refused its static Huffman tables.");
            *(uint*)(_stream + LevelOffset) = 0;
            *(uint*)(_stream + LevelBufSizeOffset) = 0;
            *(byte**)(_stream + LevelBufOffset) = null;
            *(byte**)(_stream + NextInOffset) = inPtr;
            *(uint*)(_stream + AvailInOffset) = (uint)input.Length;
            *(byte**)(_stream + NextOutOffset) = outPtr;
            *(uint*)(_stream + AvailOutOffset) = (uint)output.Length;
            *(ushort*)(_stream + EndOfStreamOffset) = finish ? (ushort)1 : (ushort)0;
            // Stateless calls take NO_FLUSH or FULL_FLUSH; the full flush's history reset is nothing to a body that
            // starts from nothing, and a decoder keeps its window across it either way.
            *(ushort*)(_stream + FlushOffset) = finish ? NoFlush : FullFlush;
            int rc = IsalNative.Stateless(_stream);
            *(byte**)(_stream + NextInOffset) = null;
            *(byte**)(_stream + NextOutOffset) = null;
            if (rc == StatelessOverflow)
            {
                // Nothing usable was written; the caller sees a full output, as from the other codecs.
                consumed = produced = 0;
                return CodecResult.OutputFull;
            }
            if (rc != 0)
                throw new InvalidOperationException($"ISA-L refused to compress ({rc}).");
            consumed = input.Length - (int)*(uint*)(_stream + AvailInOffset);
            produced = output.Length - (int)*(uint*)(_stream + AvailOutOffset);
            return consumed == input.Length ? CodecResult.Done : CodecResult.OutputFull;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_stream == null)
            return;
        System.Runtime.InteropServices.NativeMemory.Free(_stream);
        _stream = null;
    }
}
