using System.Runtime.InteropServices;

namespace WarpDrive.Interop;

/// <summary>
/// The system's classic zlib (Debian's <c>zlib1g</c>, on every Linux machine): unlike the runtime's zlib-ng shim it
/// exports <c>deflateReset</c>, so a compressor is set up once and reused. Loaded only after a probe found it.
/// </summary>
internal static unsafe partial class SystemZlibNative
{
    public const string Library = "libz.so.1";

    public const int SyncFlush = 2;
    public const int Finish = 4;
    public const int Ok = 0;
    public const int StreamEnd = 1;
    public const int DeflatedMethod = 8;
    public const int DefaultStrategy = 0;

    /// <summary>zlib's <c>z_stream</c> as LP64 Linux lays it out (<c>uLong</c> is a C <c>long</c>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public CULong TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public CULong TotalOut;
        public nint Message;
        public nint State;
        public nint Alloc;
        public nint Free;
        public nint Opaque;
        public int DataType;
        public CULong Adler;
        public CULong Reserved;
    }

    [LibraryImport(Library, EntryPoint = "zlibVersion")]
    public static partial byte* Version();

    /// <summary><c>deflateInit2_</c>: the library checks <paramref name="version"/> and <paramref name="streamSize"/> against its own.</summary>
    [LibraryImport(Library, EntryPoint = "deflateInit2_")]
    public static partial int DeflateInit2(ZStream* stream, int level, int method, int windowBits, int memLevel, int strategy, byte* version, int streamSize);

    [LibraryImport(Library, EntryPoint = "deflate")]
    public static partial int Deflate(ZStream* stream, int flush);

    [LibraryImport(Library, EntryPoint = "deflateReset")]
    public static partial int DeflateReset(ZStream* stream);

    [LibraryImport(Library, EntryPoint = "deflateEnd")]
    public static partial int DeflateEnd(ZStream* stream);
}
