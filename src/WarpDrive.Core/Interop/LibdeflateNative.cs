using System.Runtime.InteropServices;

namespace WarpDrive.Interop;

/// <summary>libdeflate's entry points (Debian's <c>libdeflate0</c>); loaded only after a probe found the library.</summary>
internal static unsafe partial class LibdeflateNative
{
    public const string Library = "libdeflate.so.0";

    private static readonly Lazy<bool> s_adler32Available = new(() =>
    {
        if (Environment.GetEnvironmentVariable("WARPDRIVE_NO_LIBDEFLATE") == "1" || !NativeLibrary.TryLoad(Library, out _))
            return false;
        try
        {
            ReadOnlySpan<byte> ok = "ok"u8;
            fixed (byte* p = ok)
                return Adler32(1, p, (nuint)ok.Length) == 0x014b00db;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    });

    /// <summary>True when libdeflate loads (and is not switched off) and its Adler-32 answers a self-test.</summary>
    public static bool Adler32Available => s_adler32Available.Value;

    [LibraryImport(Library, EntryPoint = "libdeflate_adler32")]
    public static partial uint Adler32(uint adler, byte* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "libdeflate_alloc_decompressor")]
    public static partial nint AllocDecompressor();

    [LibraryImport(Library, EntryPoint = "libdeflate_free_decompressor")]
    public static partial void FreeDecompressor(nint decompressor);

    [LibraryImport(Library, EntryPoint = "libdeflate_deflate_decompress_ex")]
    public static partial int DecompressEx(nint decompressor, byte* input, nuint inputLength, byte* output, nuint outputAvailable, nuint* actualIn, nuint* actualOut);
}
