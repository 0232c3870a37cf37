namespace WarpDrive.Devices.Soft.Engines.Deflate;

/// <summary>
/// Which deflate implementations the in-process soft engine runs, picked once per process as the fastest correct
/// one available. Measured on the reference machine (2 cores, MB/s of input, one thread, 1 MiB chunks primed with
/// 32 KiB): ISA-L's level 1 1264 (text) and 517 (binary) against zlib-ng's level 1 at 900 and 230, with output 20 %
/// and 11 % smaller; zlib-ng (the runtime's) 88 at level 6 against system zlib 1.2.13's 40 and SharpZipLib's 28.
/// ISA-L's higher levels compress far less than zlib's 6–9 (28 % larger output at its level 3), and libdeflate
/// compresses whole buffers only (no window priming, so chunks could not form one stream): levels 2–9 run on
/// zlib-ng, except small bodies without a dictionary (under <see cref="SmallMaximumInput"/>), which the system zlib
/// compresses on a compressor it resets (zlib-ng's set-up is most of a small body's cost). Whole-buffer
/// decompression: libdeflate 1293 against zlib-ng 650–890, so stateless decompress requests use libdeflate where
/// present. Where the runtime's zlib-ng cannot load, SharpZipLib's managed codecs serve
/// everything (<see cref="Managed"/>).
/// </summary>
internal static class DeflateCodecs
{
    private static readonly Lazy<bool> s_isal = new(ProbeIsal);
    private static readonly Lazy<bool> s_native = new(ProbeNative);
    private static readonly Lazy<bool> s_systemZlib = new(() => s_native.Value && SystemZlibDeflater.Probe());
    private static readonly Lazy<bool> s_managed = new(() => !s_native.Value || Environment.GetEnvironmentVariable("WARPDRIVE_MANAGED_DEFLATE") == "1");

    [ThreadStatic]
    private static IsalDeflater? t_isal;

    /// <summary>
    /// The compressors ZIP compress requests run on: <c>isa-l (level 1), zlib (system, small bodies), zlib-ng
    /// (runtime)</c>, each of the first two where its library (<c>libisal.so.2</c>, <c>libz.so.1</c>) loads and passes
    /// a self-test. Set the environment variables <c>WARPDRIVE_NO_ISAL=1</c> or <c>WARPDRIVE_NO_SYSTEM_ZLIB=1</c> to
    /// leave that part to zlib-ng.
    /// </summary>
    public static string Compressor => Managed ? ManagedName
        : (IsalAvailable ? "isa-l (level 1), " : "") + (SystemZlibAvailable ? "zlib (system, small bodies), " : "") + "zlib-ng (runtime)";

    private const string ManagedName = "SharpZipLib (managed)";

    /// <summary>
    /// True when every codec is SharpZipLib's managed one: the runtime's native zlib-ng did not load (a platform
    /// without it), or <c>WARPDRIVE_MANAGED_DEFLATE=1</c> asked for it. Slower, but it works wherever .NET runs.
    /// </summary>
    public static bool Managed => ForceManaged ?? s_managed.Value;

    /// <summary>Tests' switch: null follows the machine; true or false overrides it.</summary>
    internal static bool? ForceManaged { get; set; }

    /// <summary>Whether the runtime's native zlib-ng answers (checksums fall back to managed code without it).</summary>
    internal static bool NativeAvailable => s_native.Value;

    /// <summary>
    /// The decompressor for stateless ZIP decompress requests: <c>libdeflate</c> where <c>libdeflate.so.0</c>
    /// loads, else <c>zlib-ng (runtime)</c>. Stream-mode requests always use zlib-ng, which can resume.
    /// Set the environment variable <c>WARPDRIVE_NO_LIBDEFLATE=1</c> to force zlib-ng.
    /// </summary>
    public static string StatelessDecompressor => Managed ? ManagedName : DeflateLibdeflate.IsAvailable ? "libdeflate" : "zlib-ng (runtime)";

    /// <summary>The decompressor that resumes across requests (stream mode, and in-process reading).</summary>
    public static string StreamingDecompressor => Managed ? ManagedName : "zlib-ng (runtime)";

    internal static bool IsalAvailable => s_isal.Value;

    /// <summary>
    /// True when the system's <c>libz.so.1</c> loads, passes a self-test and is not switched off
    /// (<c>WARPDRIVE_NO_SYSTEM_ZLIB=1</c>).
    /// </summary>
    internal static bool SystemZlibAvailable => s_systemZlib.Value;

    /// <summary>True when stateless decompression runs on libdeflate.</summary>
    internal static bool UseLibdeflate => !Managed && DeflateLibdeflate.IsAvailable;

    /// <summary>A decompressor for a new stream.</summary>
    internal static IDeflateDecompressor CreateDecompressor() => Managed ? new ManagedInflater() : DeflateCodec.CreateDecompressor();

    /// <summary>
    /// Below this many input bytes, level 1 runs on zlib-ng rather than ISA-L's level 1, whose table reset costs more
    /// than a small compression (a whole small body goes to <see cref="QuickMaximumInput"/>'s codec instead).
    /// </summary>
    internal const int IsalMinimumInput = 4 * 1024;

    /// <summary>
    /// Below this many input bytes, a body without a dictionary (a whole small body, or a stream's first piece
    /// flushed early) at level 1 runs on ISA-L's level 0 in one stateless call (<see cref="IsalQuickDeflater"/>): 2–4× zlib-ng's level 1 there, whose 128 KiB hash clear alone costs more
    /// than the work, with fixed Huffman codes whose output is within a few percent of zlib-ng level 1's (what
    /// GZipStream's Fastest writes; bench compress --small prints the ratio). From here up, ISA-L's level 1, whose
    /// output is 15–30 % smaller and whose setup no longer dominates (at 16 KiB it ran at 0.83–1.28× GZipStream).
    /// </summary>
    internal const int QuickMaximumInput = 32 * 1024;

    /// <summary>
    /// Below this many input bytes, a body without a dictionary at levels 2–9 runs on the system zlib, reset rather
    /// than set up anew (<see cref="SystemZlibDeflater"/>). zlib-ng's set-up and hash clear dominate a small body's cost; from about
    /// here its faster matcher pays for them. Streams per second against GZipStream at level 6, one thread, text
    /// (interleaved in one run): 1.22x at 100 B, 1.04x at 1 KiB, 0.98–1.00x at 2 KiB, 0.93–0.96x at 3000 B and
    /// 0.87–0.89x at 4 KiB with the system zlib (`/tmp/probe`, ad hoc), where WarpDrive on zlib-ng gave 0.93–0.97x.
    /// </summary>
    internal const int SmallMaximumInput = 2 * 1024;

    /// <summary>
    /// A compressor for one stateless request of <paramref name="inputLength"/> bytes at <paramref name="level"/>,
    /// <paramref name="fresh"/> when it starts from nothing (no dictionary), as a small body or the first piece of a
    /// flushed stream does, whether it finishes or ends on a sync flush; hand it back with <see cref="Return"/>.
    /// </summary>
    internal static IDeflateCompressor Rent(int level, int inputLength, bool fresh)
    {
        if (Managed)
            return new ManagedDeflater(level);
        if (level == 1 && IsalAvailable && inputLength < QuickMaximumInput && fresh)
            return IsalQuickDeflater.Rent();
        if (level > 1 && fresh && inputLength < SmallMaximumInput && SystemZlibAvailable)
            return SystemZlibDeflater.Rent(level);
        if (level != 1 || !IsalAvailable || inputLength < IsalMinimumInput)
            return DeflateCodec.CreateCompressor(level);
        // ISA-L resets in place: each worker thread keeps one.
        var isal = t_isal ?? new IsalDeflater();
        t_isal = null;
        isal.Reset();
        return isal;
    }

    /// <summary>Takes back a compressor from <see cref="Rent"/>: keeps the resettable ones for the thread, frees the rest.</summary>
    internal static void Return(IDeflateCompressor compressor)
    {
        if (compressor is IsalQuickDeflater quick)
            IsalQuickDeflater.Return(quick);
        else if (compressor is SystemZlibDeflater small)
            SystemZlibDeflater.Return(small);
        else if (compressor is IsalDeflater isal && t_isal is null)
            t_isal = isal;
        else
            compressor.Dispose();
    }

    /// <summary>
    /// A compressor owned by one stream (stream mode) until it ends, not shared with the thread: at level 1 ISA-L from a
    /// shelf it returns to on <see cref="IDisposable.Dispose"/> (its level 0 with fixed codes when the stream's first
    /// piece, <paramref name="firstPiece"/> bytes, is under <see cref="QuickMaximumInput"/>: small pieces, where level 1
    /// would build tables for every one), else a new zlib-ng compressor (the shim cannot reset one).
    /// </summary>
    internal static IDeflateCompressor CreateForStream(int level, int firstPiece) =>
        Managed ? new ManagedDeflater(level)
        : level == 1 && IsalAvailable ? PooledIsalDeflater.Rent(quick: firstPiece < QuickMaximumInput)
        : DeflateCodec.CreateCompressor(level);

    private static bool ProbeNative()
    {
        try
        {
            DeflateCodec.CreateCompressor(1).Dispose();
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool ProbeIsal()
    {
        if (Environment.GetEnvironmentVariable("WARPDRIVE_NO_ISAL") == "1" || !IsalDeflater.TryLoad())
            return false;
        try
        {
            return IsalSelfTest();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Two primed chunks, as the compression pipeline sends them, must inflate (on zlib-ng) to the input: proves
    /// the struct layout this build assumes matches the library that loaded.
    /// </summary>
    private static bool IsalSelfTest()
    {
        var input = new byte[96 * 1024];
        var random = new Random(1951);
        for (int i = 0; i < input.Length; i++)
            input[i] = (byte)(i % 29 == 0 ? random.Next(256) : 'a' + ((i / 3) % 26));
        var output = new byte[input.Length * 2];
        int split = input.Length / 2, written = 0;
        using (var deflater = new IsalDeflater())
        {
            if (deflater.Run(input.AsSpan(0, split), output, finish: false, out int c1, out int p1) != CodecResult.Done || c1 != split)
                return false;
            written = p1;
            deflater.Reset();
            deflater.Prime(input.AsSpan(split - (32 * 1024), 32 * 1024));
            if (deflater.Run(input.AsSpan(split), output.AsSpan(written), finish: true, out int c2, out int p2) != CodecResult.Done || c2 != input.Length - split)
                return false;
            written += p2;
        }
        var check = new byte[input.Length + 1];
        using var inflater = DeflateCodec.CreateDecompressor();
        return inflater.Run(output.AsSpan(0, written), check, finish: false, out _, out int produced) == CodecResult.StreamEnd
            && check.AsSpan(0, produced).SequenceEqual(input) && written < input.Length / 2;
    }
}
