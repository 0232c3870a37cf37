using System.Runtime.InteropServices;

namespace WarpDrive.Interop;

/// <summary>ISA-L's deflate entry points (Debian's <c>libisal2</c>); loaded only after a probe found the library.</summary>
internal static unsafe partial class IsalNative
{
    public const string Library = "libisal.so.2";

    // struct isal_zstream as libisal2 2.30 (igzip_lib.h) lays it out on x86-64; the deflaters write its fields by
    // offset. DeflateCodecs' probe checks the library against these before anything uses them.
    public const int StreamSize = 82384;
    public const int NextInOffset = 0;
    public const int AvailInOffset = 8;
    public const int NextOutOffset = 16;
    public const int AvailOutOffset = 24;
    public const int LevelOffset = 40;
    public const int LevelBufSizeOffset = 44;
    public const int LevelBufOffset = 48;
    public const int EndOfStreamOffset = 56;
    public const int FlushOffset = 58;
    public const int StateOffset = 64 + 20; // internal_state.state

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

    /// <summary><c>IGZIP_HUFFTABLE_DEFAULT</c>: the library's generic table, what <c>isal_deflate_init</c> sets.</summary>
    public const int HuffmanDefault = 1;

    /// <summary><c>IGZIP_HUFFTABLE_STATIC</c>: deflate's fixed Huffman codes, blocks with no table to send or to build.</summary>
    public const int HuffmanStatic = 2;

    [LibraryImport(Library, EntryPoint = "isal_deflate_set_hufftables")]
    public static partial int SetHuffmanTables(byte* stream, void* tables, int type);
}
