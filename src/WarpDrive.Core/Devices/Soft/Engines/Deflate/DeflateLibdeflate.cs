using System.Runtime.InteropServices;
using WarpDrive.Interop;

namespace WarpDrive.Devices.Soft.Engines.Deflate;

/// <summary>
/// libdeflate (Debian's <c>libdeflate0</c>), when the machine has it: whole-buffer raw-deflate decompression,
/// about 1.5–2× zlib-ng's inflate. Used for stateless decompress requests, whose input and output are whole.
/// Probed once; absent or unloadable, everything runs on zlib-ng.
/// </summary>
internal static unsafe class DeflateLibdeflate
{
    private const string Library = LibdeflateNative.Library;

    public const int Success = 0;
    public const int BadData = 1;
    public const int ShortOutput = 2;
    public const int InsufficientSpace = 3;

    private static readonly Lazy<bool> s_available = new(Probe);

    [ThreadStatic]
    private static Decompressor? t_decompressor;

    /// <summary>True when libdeflate loaded and answered a self-test.</summary>
    public static bool IsAvailable => s_available.Value;

    /// <summary>Decompresses one complete raw-deflate stream. Returns a libdeflate result code.</summary>
    public static int Decompress(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced)
    {
        nint decompressor = (t_decompressor ??= new Decompressor()).Handle;
        nuint inUsed = 0, outUsed = 0;
        int rc;
        fixed (byte* i = input)
        fixed (byte* o = output)
            rc = LibdeflateNative.DecompressEx(decompressor, i, (nuint)input.Length, o, (nuint)output.Length, &inUsed, &outUsed);
        consumed = (int)inUsed;
        produced = (int)outUsed;
        return rc;
    }

    /// <summary>A thread's libdeflate decompressor, freed when the thread ends and drops it.</summary>
    private sealed class Decompressor
    {
        public nint Handle { get; } = LibdeflateNative.AllocDecompressor() is var handle && handle != 0
            ? handle
            : throw new InsufficientMemoryException("libdeflate could not allocate a decompressor.");

        ~Decompressor() => LibdeflateNative.FreeDecompressor(Handle);
    }

    private static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("WARPDRIVE_NO_LIBDEFLATE") == "1")
            return false;
        if (!NativeLibrary.TryLoad(Library, out _))
            return false;
        try
        {
            // Self-test: an empty final fixed block, then a stored block holding "ok".
            ReadOnlySpan<byte> empty = [0x03, 0x00];
            ReadOnlySpan<byte> stored = [0x01, 0x02, 0x00, 0xfd, 0xff, (byte)'o', (byte)'k'];
            Span<byte> output = stackalloc byte[4];
            return Decompress(empty, output, out _, out int p0) == Success && p0 == 0
                && Decompress(stored, output, out _, out int p1) == Success && p1 == 2 && output[0] == 'o';
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

}
