using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

using WarpDrive.Compression;

namespace WarpDrive.Cli.Benchmarks;

/// <summary>One memory measurement: how far the process's resident set grew while WarpDrive compressed a long stream.</summary>
/// <param name="System">What compressed: <c>warpdrive</c>.</param>
/// <param name="Format">The format written: <c>gzip</c>.</param>
/// <param name="Level">zlib level 0–9.</param>
/// <param name="Corpus">Name of the corpus repeated to make the input.</param>
/// <param name="InputBytes">Uncompressed bytes streamed through the compressor.</param>
/// <param name="OutputBytes">Compressed bytes it wrote (to a counting null stream).</param>
/// <param name="BaselineRssBytes">VmRSS after a full, compacting, decommitting GC, just before the stream was made.</param>
/// <param name="PeakRssBytes">
/// The highest RSS from the stream's creation to just after its disposal: the kernel's high-water mark (VmHWM,
/// reset at the baseline) where it could be reset, else the highest VmRSS sampled.
/// </param>
/// <param name="PeakIsHighWaterMark">True when <paramref name="PeakRssBytes"/> includes the kernel's exact VmHWM; false when it is sampled only.</param>
/// <param name="Samples">How many times VmRSS was read while compressing.</param>
/// <param name="Seconds">Wall time of the compression.</param>
public sealed record CompressionMemoryRecord(
    string System, string Format, int Level, string Corpus, long InputBytes, long OutputBytes,
    long BaselineRssBytes, long PeakRssBytes, bool PeakIsHighWaterMark, int Samples, double Seconds)
{
    /// <summary><see cref="PeakRssBytes"/> minus <see cref="BaselineRssBytes"/>: never negative.</summary>
    public long RssGrowthBytes => Math.Max(0, PeakRssBytes - BaselineRssBytes);

    /// <summary>The growth meets <see cref="CompressionMemoryProbe.TargetGrowthBytes"/>.</summary>
    public bool WithinTarget => RssGrowthBytes <= CompressionMemoryProbe.TargetGrowthBytes;
}

/// <summary>
/// <c>warpdrive bench compress</c>'s memory measurement: streams a long input (the corpus repeated, never held
/// whole) through <see cref="WarpDriveGZipStream"/> into a null stream and reports how far the process RSS grew
/// above a post-GC baseline. The peak is the kernel's high-water mark (<c>VmHWM</c>, reset to the baseline by
/// writing 5 to <c>/proc/self/clear_refs</c>), so no spike between readings is missed; VmRSS is also sampled
/// from <c>/proc/self/status</c> on a background thread every <see cref="SampleInterval"/> and by the writing
/// thread every 8 MiB, which is the whole measurement where the mark cannot be reset. The target: compressing
/// 1 GiB grows RSS by at most <see cref="TargetGrowthBytes"/>.
/// </summary>
/// <remarks>
/// Growth counts everything the first stream of a process brings with it if the probe runs first (the shared
/// pool and its engine threads, pinned chunk buffers, JIT-compiled code); <c>bench compress</c> runs it before
/// anything else compresses, so it reports that worst case. RSS is process-wide: other work in the process
/// during the probe counts too.
/// </remarks>
public static class CompressionMemoryProbe
{
    /// <summary>The issue's target: 64 MiB of RSS growth for 1 GiB compressed.</summary>
    public const long TargetGrowthBytes = 64L << 20;

    /// <summary>Input streamed by default: 1 GiB.</summary>
    public const long DefaultInputBytes = 1L << 30;

    /// <summary>Input streamed under <c>--quick</c>: 256 MiB.</summary>
    public const long QuickInputBytes = 256L << 20;

    /// <summary>Level the command measures at (gzip -6).</summary>
    public const int DefaultLevel = 6;

    /// <summary>How often the background thread reads VmRSS.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(2);

    // Writes of 128 KiB, as the throughput benchmark makes; the writing thread samples every 64 of them (8 MiB).
    private const int WriteSize = 128 * 1024;
    private const int WritesPerSample = 64;

    /// <summary>
    /// Compresses <paramref name="inputBytes"/> bytes, <paramref name="corpus"/> repeated, to gzip at
    /// <paramref name="level"/> and measures RSS growth. Collects garbage (aggressively, so freed memory goes back
    /// to the OS) before taking the baseline.
    /// </summary>
    public static CompressionMemoryRecord Run(byte[] corpus, long inputBytes, int level = DefaultLevel, string corpusName = "corpus",
        WarpDriveCompressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(corpusName);
        if (corpus.Length == 0)
            throw new ArgumentException("The corpus is empty.", nameof(corpus));
        ArgumentOutOfRangeException.ThrowIfNegative(inputBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);

        var output = new CountingStream();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        long baseline = ReadRssBytes();
        bool highWaterMark = TryResetPeakRss();
        long start = Stopwatch.GetTimestamp();
        using var sampler = new Sampler(baseline);
        using (var gzip = new WarpDriveGZipStream(output, level, options, leaveOpen: true))
        {
            long written = 0;
            int offset = 0;
            for (int writes = 1; written < inputBytes; writes++)
            {
                int n = (int)Math.Min(Math.Min(WriteSize, corpus.Length - offset), inputBytes - written);
                gzip.Write(corpus, offset, n);
                written += n;
                offset += n;
                if (offset == corpus.Length)
                    offset = 0;
                if (writes % WritesPerSample == 0)
                    sampler.Sample();
            }
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var (peak, samples) = sampler.Stop();
        if (highWaterMark)
            peak = Math.Max(peak, ReadStatusBytes("VmHWM:"u8));
        return new CompressionMemoryRecord("warpdrive", "gzip", level, corpusName, inputBytes, output.Length,
            baseline, peak, highWaterMark, samples, Math.Round(seconds, 3));
    }

    /// <summary>
    /// The process's resident set in bytes: <c>VmRSS</c> from <c>/proc/self/status</c>, or
    /// <see cref="Environment.WorkingSet"/> where there is no procfs.
    /// </summary>
    public static long ReadRssBytes() => ReadStatusBytes("VmRSS:"u8);

    /// <summary>Resets the kernel's RSS high-water mark (VmHWM) to the current RSS; false where that is not possible.</summary>
    private static bool TryResetPeakRss()
    {
        try
        {
            using var handle = File.OpenHandle("/proc/self/clear_refs", FileMode.Open, FileAccess.Write);
            RandomAccess.Write(handle, "5"u8, fileOffset: 0);
            return ReadStatusBytes("VmHWM:"u8) > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    // A "Name:\t  123456 kB" line of /proc/self/status in bytes; Environment.WorkingSet where there is none.
    private static long ReadStatusBytes(ReadOnlySpan<byte> field)
    {
        Span<byte> status = stackalloc byte[4096];
        int length;
        try
        {
            using var handle = File.OpenHandle("/proc/self/status");
            length = RandomAccess.Read(handle, status, fileOffset: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Environment.WorkingSet;
        }
        var text = status[..length];
        int at = text.IndexOf(field);
        if (at < 0)
            return Environment.WorkingSet;
        var value = text[(at + field.Length)..].TrimStart(" \t"u8);
        return Utf8Parser.TryParse(value, out long kib, out _) ? kib * 1024 : Environment.WorkingSet;
    }

    /// <summary>The command's summary line, e.g. <c>1 GiB gzip -6 compress: RSS grew 23.4 MiB (target &lt;= 64 MiB)</c>.</summary>
    public static string Describe(CompressionMemoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Size(record.InputBytes)} {record.Format} -{record.Level} compress: RSS grew {record.RssGrowthBytes / 1048576.0:F1} MiB (target <= {TargetGrowthBytes >> 20} MiB)");
    }

    /// <summary>The details behind <see cref="Describe"/>: baseline, peak, samples, time, output size.</summary>
    public static string DescribeDetails(CompressionMemoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Create(CultureInfo.InvariantCulture,
            $"rss probe ({record.Corpus}): baseline {record.BaselineRssBytes / 1048576.0:F1} MiB, peak {record.PeakRssBytes / 1048576.0:F1} MiB ({(record.PeakIsHighWaterMark ? "VmHWM" : "sampled")}), {record.Samples} samples, {record.Seconds:F1} s, {record.OutputBytes} bytes out");
    }

    private static string Size(long bytes) => bytes % (1L << 30) == 0 && bytes > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 30} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.#} MiB");

    /// <summary>
    /// The record as one JSON object: <c>{"system", "format", "level", "corpus", "input_bytes", "output_bytes",
    /// "baseline_rss_bytes", "peak_rss_bytes", "peak_source" (<c>VmHWM</c> or <c>samples</c>), "rss_growth_bytes",
    /// "target_rss_growth_bytes", "within_target", "samples", "seconds"}</c>.
    /// </summary>
    public static string ToJson(CompressionMemoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("system", record.System);
            json.WriteString("format", record.Format);
            json.WriteNumber("level", record.Level);
            json.WriteString("corpus", record.Corpus);
            json.WriteNumber("input_bytes", record.InputBytes);
            json.WriteNumber("output_bytes", record.OutputBytes);
            json.WriteNumber("baseline_rss_bytes", record.BaselineRssBytes);
            json.WriteNumber("peak_rss_bytes", record.PeakRssBytes);
            json.WriteString("peak_source", record.PeakIsHighWaterMark ? "VmHWM" : "samples");
            json.WriteNumber("rss_growth_bytes", record.RssGrowthBytes);
            json.WriteNumber("target_rss_growth_bytes", TargetGrowthBytes);
            json.WriteBoolean("within_target", record.WithinTarget);
            json.WriteNumber("samples", record.Samples);
            json.WriteNumber("seconds", record.Seconds);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public static void WriteJson(string path, CompressionMemoryRecord record) => File.WriteAllText(path, ToJson(record));

    /// <summary>
    /// Where <c>bench compress --json PATH</c> puts the memory record: beside <paramref name="recordsJsonPath"/>,
    /// its extension replaced by <c>.memory.json</c> (<c>out/r.json</c> → <c>out/r.memory.json</c>).
    /// </summary>
    public static string JsonPathFor(string recordsJsonPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(recordsJsonPath);
        return Path.ChangeExtension(recordsJsonPath, null) + ".memory.json";
    }

    /// <summary>Keeps the highest VmRSS seen: a background thread reads it every <see cref="SampleInterval"/>, callers may add readings.</summary>
    private sealed class Sampler : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;
        private int _samples;

        public Sampler(long baseline)
        {
            _peak = baseline;
            _thread = new Thread(Loop) { IsBackground = true, Name = "warpdrive rss probe" };
            _thread.Start();
        }

        public void Sample()
        {
            long rss = ReadRssBytes();
            long seen = Volatile.Read(ref _peak);
            while (rss > seen)
            {
                long was = Interlocked.CompareExchange(ref _peak, rss, seen);
                if (was == seen)
                    break;
                seen = was;
            }
            Interlocked.Increment(ref _samples);
        }

        /// <summary>Stops the thread, takes a last reading, returns the peak and the number of readings.</summary>
        public (long Peak, int Samples) Stop()
        {
            _stop = true;
            _thread.Join();
            Sample();
            return (Volatile.Read(ref _peak), Volatile.Read(ref _samples));
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }

        private void Loop()
        {
            while (!_stop)
            {
                Sample();
                Thread.Sleep(SampleInterval);
            }
        }
    }

    /// <summary>A write-only null stream that counts what it is given.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            ValidateBufferArguments(buffer, offset, count);
            _length += count;
        }

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            ValidateBufferArguments(buffer, offset, count);
            _length += count;
            return Task.CompletedTask;
        }
    }
}
