using System.Runtime.InteropServices;

namespace WarpDrive.Interop;

/// <summary>ISA-L's deflate entry points (Debian's <c>libisal2</c>); loaded only after a probe found the library.</summary>
internal static unsafe partial class IsalNative
{
    public const string Library = "libisal.so.2";

    [LibraryImport(Library, EntryPoint = "isal_deflate_init")]
    public static partial void Init(byte* stream);

    [LibraryImport(Library, EntryPoint = "isal_deflate_reset")]
    public static partial void Reset(byte* stream);

    [LibraryImport(Library, EntryPoint = "isal_deflate_set_dict")]
    public static partial int SetDictionary(byte* stream, byte* dictionary, uint length);

    [LibraryImport(Library, EntryPoint = "isal_deflate")]
    public static partial int Deflate(byte* stream);

    [LibraryImport(Library, EntryPoint = "isal_deflate_stateless_init")]
    public static partial void StatelessInit(byte* stream);

    [LibraryImport(Library, EntryPoint = "isal_deflate_stateless")]
    public static partial int Stateless(byte* stream);

    /// <summary><c>IGZIP_HUFFTABLE_STATIC</c>: deflate's fixed Huffman codes, blocks with no table to send or to build.</summary>
    public const int HuffmanStatic = 2;

    [LibraryImport(Library, EntryPoint = "isal_deflate_set_hufftables")]
    public static partial int SetHuffmanTables(byte* stream, void* tables, int type);
}
