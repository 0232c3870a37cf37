using System.Runtime.InteropServices;
using WarpDrive.Interop;
using static WarpDrive.Interop.SystemZlibNative;

namespace WarpDrive.Devices.Soft.Engines.Deflate;

/// <summary>
/// The system's classic zlib for a small body at levels 2–9, one compressor per thread and level, reset between
/// bodies. The runtime's zlib-ng (what GZipStream runs) cannot be reset through its shim, so each new stream pays its
/// allocation and 128 KiB hash clear, a quarter of a 100-byte stream's time; this one is sized for small bodies
/// (its hash clear is 16 KiB) and set up once. zlib-ng's faster matcher wins again from a few KiB up
/// (<see cref="DeflateCodecs.SmallMaximumInput"/>). Output is standard deflate, 0.94–1.02× zlib-ng's size at the same
/// level on text and JSON from 100 B to 2 KiB. Bodies that start from nothing only (no dictionary), in one call that
/// finishes or ends on a sync flush. Not thread-safe.
/// </summary>
internal sealed unsafe class SystemZlibDeflater : IDeflateCompressor
{
    // A window of 8 KiB holds a whole 4 KiB body and the lookahead zlib keeps (262 bytes), so every match distance a
    // body has is reachable; memLevel 6 gives 4 KiB of symbol buffer (the body is one block) and 2^13 hash heads.
    private const int WindowBits = -13;
    private const int MemLevel = 6;

    /// <summary>The largest body this codec is set up for; above it, matches and blocks would be cut short.</summary>
    public const int MaximumInput = 4 * 1024;

    [ThreadStatic]
    private static SystemZlibDeflater?[]? t_spares;

    private readonly int _level;
    private ZStream* _stream;

    private SystemZlibDeflater(int level)
    {
        _level = level;
        _stream = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
        int rc = DeflateInit2(_stream, level, DeflatedMethod, WindowBits, MemLevel, DefaultStrategy, Version(), sizeof(ZStream));
        if (rc != Ok)
        {
            NativeMemory.Free(_stream);
            _stream = null;
            throw new InvalidOperationException($"The system zlib refused to initialise ({rc}).");
        }
    }

    /// <summary>Frees zlib's state when a thread that kept one ends without handing it back.</summary>
    ~SystemZlibDeflater() => Free();

    /// <summary>This thread's compressor for <paramref name="level"/> (2–9); hand it back with <see cref="Return"/>.</summary>
    public static SystemZlibDeflater Rent(int level)
    {
        var spares = t_spares ??= new SystemZlibDeflater?[10];
        var deflater = spares[level] ?? new SystemZlibDeflater(level);
        spares[level] = null;
        return deflater;
    }

    /// <summary>Keeps the compressor for the thread's next body at its level.</summary>
    public static void Return(SystemZlibDeflater deflater)
    {
        var spares = t_spares ??= new SystemZlibDeflater?[10];
        if (spares[deflater._level] is null)
            spares[deflater._level] = deflater;
        else
            deflater.Dispose();
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A dictionary: this codec starts from nothing.</exception>
    public void Prime(ReadOnlySpan<byte> dictionary)
    {
        if (!dictionary.IsEmpty)
            throw new InvalidOperationException("The small-body deflater compresses without a dictionary.");
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A body above <see cref="MaximumInput"/>.</exception>
    public CodecResult Run(ReadOnlySpan<byte> input, Span<byte> output, bool finish, out int consumed, out int produced)
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        if (input.Length > MaximumInput)
            throw new InvalidOperationException($"The small-body deflater compresses bodies of up to {MaximumInput} bytes.");
        if (DeflateReset(_stream) != Ok)
            throw new InvalidOperationException("The system zlib refused to reset.");
        fixed (byte* inPtr = input)
        fixed (byte* outPtr = output)
        {
            _stream->NextIn = inPtr;
            _stream->AvailIn = (uint)input.Length;
            _stream->NextOut = outPtr;
            _stream->AvailOut = (uint)output.Length;
            int rc = SystemZlibNative.Deflate(_stream, finish ? Finish : SyncFlush);
            consumed = input.Length - (int)_stream->AvailIn;
            produced = output.Length - (int)_stream->AvailOut;
            _stream->NextIn = null;
            _stream->NextOut = null;
            // Anything short of the stream's end (or of a flush with room to spare: a full output may hide more)
            // means the output filled; a stateless request cannot resume it.
            bool done = finish ? rc == StreamEnd : rc == Ok && consumed == input.Length && produced < output.Length;
            return done ? CodecResult.Done : CodecResult.OutputFull;
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
        _ = DeflateEnd(_stream);
        NativeMemory.Free(_stream);
        _stream = null;
    }

    /// <summary>
    /// True when <c>libz.so.1</c> loads and a body compressed here inflates (on zlib-ng) to itself: proves the
    /// struct layout this build assumes matches the library that loaded.
    /// </summary>
    internal static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("WARPDRIVE_NO_SYSTEM_ZLIB") == "1" || !NativeLibrary.TryLoad(Library, out _))
            return false;
        try
        {
            var input = new byte[3000];
            for (int i = 0; i < input.Length; i++)
                input[i] = (byte)("small bodies, one reset each; "[i % 30] + (i % 97 == 0 ? 1 : 0));
            var output = new byte[input.Length + 64];
            int written = 0;
            using (var deflater = new SystemZlibDeflater(6))
            {
                for (int round = 0; round < 2; round++)
                {
                    if (deflater.Run(input, output, finish: true, out int consumed, out written) != CodecResult.Done || consumed != input.Length)
                        return false;
                }
            }
            var check = new byte[input.Length + 1];
            using var inflater = DeflateCodec.CreateDecompressor();
            return inflater.Run(output.AsSpan(0, written), check, finish: false, out _, out int produced) == CodecResult.StreamEnd
                && check.AsSpan(0, produced).SequenceEqual(input) && written < input.Length / 4;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}
