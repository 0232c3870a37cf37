using System.Runtime.InteropServices;

namespace WarpDrive.Interop;

/// <summary>libdeflate's entry points (Debian's <c>libdeflate0</c>); loaded only after a probe found the library.</summary>
internal static unsafe partial class LibdeflateNative
{
    public const string Library = "libdeflate.so.0";

    [LibraryImport(Library, EntryPoint = "libdeflate_adler32")]
    public static partial uint Adler32(uint adler, byte* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "libdeflate_alloc_decompressor")]
    public static partial nint AllocDecompressor();

    [LibraryImport(Library, EntryPoint = "libdeflate_deflate_decompress_ex")]
    public static partial int DecompressEx(nint decompressor, byte* input, nuint inputLength, byte* output, nuint outputAvailable, nuint* actualIn, nuint* actualOut);
}
