using System.Runtime.InteropServices;

namespace WarpDrive.Interop;

/// <summary>
/// zlib-ng as the .NET runtime ships it (libSystem.IO.Compression.Native): the fastest correct deflate on every
/// machine that runs .NET, reached through the runtime's own exported shim.
/// </summary>
internal static unsafe partial class ZlibNative
{
    private const string Library = "libSystem.IO.Compression.Native";

    public const int NoFlush = 0;
    public const int SyncFlush = 2;
    public const int Finish = 4;

    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int NeedDictionary = 2;
    public const int BufferError = -5;

    public const int RawWindowBits = -15;
    public const int DeflatedMethod = 8;
    public const int DefaultMemLevel = 8;

    /// <summary>The runtime's PAL_ZStream: pointers and counts only, internal state behind a pointer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        public byte* NextIn;
        public byte* NextOut;
        public nint Message;
        public nint InternalState;
        public uint AvailIn;
        public uint AvailOut;
    }

    [LibraryImport(Library, EntryPoint = "CompressionNative_DeflateInit2_")]
    public static partial int DeflateInit2(ZStream* stream, int level, int method, int windowBits, int memLevel, int strategy);

    [LibraryImport(Library, EntryPoint = "CompressionNative_Deflate")]
    public static partial int Deflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "CompressionNative_DeflateEnd")]
    public static partial int DeflateEnd(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateInit2_")]
    public static partial int InflateInit2(ZStream* stream, int windowBits);

    [LibraryImport(Library, EntryPoint = "CompressionNative_Inflate")]
    public static partial int Inflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateReset2_")]
    public static partial int InflateReset2(ZStream* stream, int windowBits);

    [LibraryImport(Library, EntryPoint = "CompressionNative_InflateEnd")]
    public static partial int InflateEnd(ZStream* stream);

    private static readonly Lazy<bool> s_crc32Available = new(() =>
    {
        try
        {
            return Crc32(0, null, 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    });

    /// <summary>True when the runtime's zlib-ng answers <see cref="Crc32"/> (it does wherever .NET runs natively).</summary>
    public static bool Crc32Available => s_crc32Available.Value;

    [LibraryImport(Library, EntryPoint = "CompressionNative_Crc32")]
    public static partial uint Crc32(uint crc, byte* buffer, int length);
}
