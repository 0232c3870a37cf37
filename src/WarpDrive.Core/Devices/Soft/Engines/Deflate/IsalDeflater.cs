using System.Runtime.InteropServices;
using WarpDrive.Interop;
using static WarpDrive.Interop.IsalNative;

namespace WarpDrive.Devices.Soft.Engines.Deflate;

/// <summary>
/// A raw-deflate compressor on ISA-L's igzip (Debian's <c>libisal2</c>) at its level 1: on the reference corpora
/// 1.4–2.2× the speed of zlib-ng's level 1 with 11–20 % smaller output, so it serves zlib level 1 where it loads.
/// Unlike zlib-ng's runtime shim, ISA-L sets a dictionary directly and resets without reallocating, so a worker
/// keeps one instance. Owns its native stream; not thread-safe.
/// </summary>
internal sealed unsafe class IsalDeflater : IDeflateCompressor
{
    private const int Level1BufferSize = 282624; // ISAL_DEF_LVL1_DEFAULT
    private const ushort NoFlush = 0;
    private const ushort SyncFlush = 1;
    private const int StateNewHeader = 0; // ZSTATE_NEW_HDR: a sync flush has completed
    private const int StateEnd = 11;      // ZSTATE_END: the final block is written

    private byte* _stream;
    private byte* _levelBuffer;

    public IsalDeflater()
    {
        // Room beyond the struct guards against a library whose struct grew; the probe rejects such a library anyway.
        _stream = (byte*)NativeMemory.AllocZeroed(StreamSize + 4096);
        _levelBuffer = (byte*)NativeMemory.Alloc(Level1BufferSize);
        IsalNative.Init(_stream);
        *(uint*)(_stream + LevelOffset) = 1;
        *(uint*)(_stream + LevelBufSizeOffset) = Level1BufferSize;
        *(byte**)(_stream + LevelBufOffset) = _levelBuffer;
    }

    /// <summary>Frees the native stream when a worker thread that kept this one ends.</summary>
    ~IsalDeflater() => Free();

    /// <summary>Starts a new stream, keeping the level and its buffer.</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        IsalNative.Reset(_stream);
    }

    /// <summary>
    /// For a new stream (after <see cref="Reset"/>): ISA-L's level 0 with deflate's fixed Huffman codes when
    /// <paramref name="quick"/> (a stream of small pieces: no table built per piece, output about zlib-ng level 1's,
    /// which also writes fixed codes), else level 1 with its own tables per block.
    /// </summary>
    public void Configure(bool quick)
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        *(uint*)(_stream + LevelOffset) = quick ? 0u : 1u;
        if (IsalNative.SetHuffmanTables(_stream, null, quick ? IsalNative.HuffmanStatic : IsalNative.HuffmanDefault) != 0)
            throw new InvalidOperationException("ISA-L refused its Huffman tables.");
    }

    public void Prime(ReadOnlySpan<byte> dictionary)
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        if (dictionary.IsEmpty)
            return;
        int rc;
        fixed (byte* d = dictionary)
            rc = IsalNative.SetDictionary(_stream, d, (uint)dictionary.Length);
        if (rc != 0)
            throw new InvalidOperationException($"ISA-L refused the dictionary ({rc}).");
    }

    public CodecResult Run(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            *(byte**)(_stream + NextInOffset) = inPtr;
            *(uint*)(_stream + AvailInOffset) = (uint)input.Length;
            *(byte**)(_stream + NextOutOffset) = outPtr;
            *(uint*)(_stream + AvailOutOffset) = (uint)output.Length;
            *(ushort*)(_stream + EndOfStreamOffset) = finish ? (ushort)1 : (ushort)0;
            *(ushort*)(_stream + FlushOffset) = finish ? NoFlush : SyncFlush;
            int rc = IsalNative.Deflate(_stream);
            uint availIn = *(uint*)(_stream + AvailInOffset);
            consumed = input.Length - (int)availIn;
            produced = output.Length - (int)*(uint*)(_stream + AvailOutOffset);
            *(byte**)(_stream + NextInOffset) = null;
            *(byte**)(_stream + NextOutOffset) = null;
            if (rc != 0)
                throw new InvalidOperationException($"ISA-L refused to compress ({rc}).");
            int state = *(int*)(_stream + StateOffset);
            return availIn == 0 && state == (finish ? StateEnd : StateNewHeader) ? CodecResult.Done : CodecResult.OutputFull;
        }
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_stream == null)
            return;
        NativeMemory.Free(_stream);
        NativeMemory.Free(_levelBuffer);
        _stream = null;
        _levelBuffer = null;
    }

    /// <summary>True when the library loads; whether it behaves is the probe's question.</summary>
    internal static bool TryLoad() => NativeLibrary.TryLoad(Library, out _);

}
