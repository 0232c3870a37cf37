using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ICSharpCode.SharpZipLib.GZip;

using WarpDrive.Compression;

namespace WarpDrive.Cli.Benchmarks;

/// <summary>What <see cref="CompressionBenchmark.Run"/> measures.</summary>
public sealed class CompressionBenchmarkOptions
{
    /// <summary>Smaller corpora and fewer repetitions: finishes within a minute on 2 cores.</summary>
    public bool Quick { get; set; }

    /// <summary>A file or directory to use as the only corpus; null for the SDK's XML docs (text) and assemblies (binary).</summary>
    public string? CorpusPath { get; set; }

    /// <summary>Levels to measure. Default 1, 6 and 9 (1 and 6 with <see cref="Quick"/>).</summary>
    public IReadOnlyList<int>? Levels { get; set; }

    /// <summary>Bytes per corpus. Default 64 MiB (16 MiB with <see cref="Quick"/>).</summary>
    public long? CorpusBytes { get; set; }

    /// <summary>
    /// Timed repetitions per measurement at least (short ones repeat for a second, up to four times this); the
    /// fastest counts. Default 3 (1 with <see cref="Quick"/>). Untimed warm-up passes come first.
    /// </summary>
    public int? Repetitions { get; set; }

    /// <summary>Systems to measure: <c>warpdrive</c>, <c>warpdrive-verified</c> (every chunk verified; its decompression is warpdrive's), <c>DeflateStream</c>, <c>SharpZipLib</c>. Default all four.</summary>
    public IReadOnlyList<string>? Systems { get; set; }
}

/// <summary>One measurement: a system compressing and decompressing one corpus at one level (gzip format).</summary>
/// <param name="System"><c>warpdrive</c>, <c>DeflateStream</c> (System.IO.Compression) or <c>SharpZipLib</c>.</param>
/// <param name="Level">zlib level 0–9.</param>
/// <param name="Corpus">Corpus name.</param>
/// <param name="InputBytes">Uncompressed bytes.</param>
/// <param name="OutputBytes">Compressed bytes.</param>
/// <param name="CompressMbps">Compression, MB/s of input (10^6 bytes).</param>
/// <param name="DecompressMbps">Decompressing its own output, MB/s of output.</param>
/// <param name="DecompressForeignMbps">Decompressing System.IO.Compression's output of the same corpus and level, MB/s.</param>
public sealed record CompressionBenchmarkRecord(
    string System, int Level, string Corpus, long InputBytes, long OutputBytes, double CompressMbps, double DecompressMbps, double DecompressForeignMbps);

/// <summary>
/// <c>warpdrive bench compress</c>: WarpDrive, System.IO.Compression and SharpZipLib side by side on the same real
/// corpus in one run — MB/s compressing and decompressing, output size, ratios to System.IO.Compression — with
/// JSON and SVG writers.
/// </summary>
public static class CompressionBenchmark
{
    /// <summary>The system names in records.</summary>
    public static readonly IReadOnlyList<string> AllSystems = ["warpdrive", Verified, "DeflateStream", "SharpZipLib"];

    /// <summary>WarpDrive with every chunk verified (<see cref="CompressionVerification.Always"/>): what verification costs.</summary>
    public const string Verified = "warpdrive-verified";

    private static readonly WarpDriveCompressionOptions VerifiedOptions = new() { Verification = CompressionVerification.Always };

    /// <summary>Runs the benchmark; <paramref name="progress"/> hears one line per measurement.</summary>
    public static IReadOnlyList<CompressionBenchmarkRecord> Run(CompressionBenchmarkOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return RunOn(options, LoadCorpora(options), progress);
    }

    private static List<CompressionBenchmarkRecord> RunOn(CompressionBenchmarkOptions options, List<(string Name, byte[] Data)> corpora, IProgress<string>? progress)
    {
        var levels = options.Levels ?? (options.Quick ? [1, 6] : [1, 6, 9]);
        int repetitions = options.Repetitions ?? (options.Quick ? 1 : 3);
        var systems = options.Systems ?? AllSystems;
        var records = new List<CompressionBenchmarkRecord>();
        foreach (var (name, data) in corpora)
        {
            foreach (int level in levels)
            {
                var foreign = Compress("DeflateStream", data, level);
                // Untimed passes warm the code paths, the pool's queues and the output buffer size.
                var outputs = systems.ToDictionary(system => system, system => Compress(system, data, level));
                foreach (var system in systems)
                {
                    WarmUp(() => Compress(system, data, level, outputs[system].Length));
                    WarmUp(() => Decompress(system, outputs[system], data.Length));
                }
                var compress = BestOfTurns(systems, repetitions, system => Compress(system, data, level, outputs[system].Length));
                // Verification is a compress-side cost: the verified system's output reads as warpdrive's does.
                var readers = systems.Where(system => system != Verified).ToList();
                var decompress = BestOfTurns(readers, repetitions, system => Decompress(system, outputs[system], data.Length));
                var others = readers.Where(system => system != "DeflateStream").ToList();
                var decompressForeign = BestOfTurns(others, repetitions, system => Decompress(system, foreign, data.Length));
                if (systems.Contains(Verified) && systems.Contains("warpdrive"))
                {
                    decompress[Verified] = decompress["warpdrive"];
                    decompressForeign[Verified] = decompressForeign["warpdrive"];
                }
                foreach (var system in systems)
                {
                    var record = new CompressionBenchmarkRecord(system, level, name, data.Length, outputs[system].Length,
                        Mbps(data.Length, compress[system]), Mbps(data.Length, decompress[system]),
                        Mbps(data.Length, decompressForeign.GetValueOrDefault(system, decompress[system])));
                    records.Add(record);
                    progress?.Report(string.Create(CultureInfo.InvariantCulture,
                        $"{name} L{level} {system}: {record.CompressMbps:F0} MB/s compress, {record.DecompressMbps:F0} MB/s decompress, {record.DecompressForeignMbps:F0} MB/s foreign, {record.OutputBytes} bytes"));
                }
            }
        }
        return records;
    }

    private static double Mbps(long bytes, double seconds) => Math.Round(bytes / 1e6 / seconds, 1);

    /// <summary>
    /// Repeats <paramref name="pass"/> until the JIT has compiled nothing new for two passes (tiered compilation
    /// promotes a hot method only after it has run a while, so one pass leaves managed code half-optimised), for
    /// at most <see cref="MaxWarmUp"/>: the timed passes then measure the steady state a long-running server sees.
    /// </summary>
    private static void WarmUp(Action pass)
    {
        long start = Stopwatch.GetTimestamp();
        int quiet = 0;
        while (quiet < 2 && Stopwatch.GetElapsedTime(start) < MaxWarmUp)
        {
            long compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            pass();
            quiet = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled ? quiet + 1 : 0;
        }
    }

    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The fastest of at least <paramref name="repetitions"/> timed passes per system, and of as many as fit in
    /// <see cref="MinTimed"/> each. The systems take turns, pass by pass, so a slow spell on a shared machine falls
    /// on all of them alike instead of on whichever ran then. Every other round runs them in reverse order, as a
    /// pass pays for the one before it (the caches it flushed): in one fixed order each system would always follow
    /// the same other, and the first would always follow the last, SharpZipLib, which streams the most memory.
    /// </summary>
    private static Dictionary<string, double> BestOfTurns(IReadOnlyList<string> systems, int repetitions, Action<string> pass)
    {
        var best = systems.ToDictionary(system => system, _ => double.MaxValue);
        long begin = Stopwatch.GetTimestamp();
        var budget = MinTimed * systems.Count;
        for (int round = 0; round < repetitions || (Stopwatch.GetElapsedTime(begin) < budget && round < 4 * repetitions); round++)
        {
            foreach (var system in round % 2 == 0 ? systems : systems.Reverse())
            {
                // The garbage earlier passes left is collected here, not during this one's timing.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                long start = Stopwatch.GetTimestamp();
                pass(system);
                best[system] = Math.Min(best[system], Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }
        return best;
    }

    private static readonly TimeSpan MinTimed = TimeSpan.FromSeconds(1);

    private static List<(string Name, byte[] Data)> LoadCorpora(CompressionBenchmarkOptions options, bool firstOnly = false)
    {
        string? path = options.CorpusPath;
        long bytes = options.CorpusBytes ?? (options.Quick ? 16L << 20 : 64L << 20);
        if (path is null)
        {
            return firstOnly
                ? [("text", BenchmarkCorpus.Load("*.xml", bytes))]
                : [("text", BenchmarkCorpus.Load("*.xml", bytes)), ("binary", BenchmarkCorpus.Load("*.dll", bytes))];
        }
        using var buffer = new MemoryStream();
        IEnumerable<string> files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [path];
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            var chunk = new byte[Math.Min(stream.Length, bytes - buffer.Length)];
            stream.ReadExactly(chunk);
            buffer.Write(chunk);
            if (buffer.Length >= bytes)
                break;
        }
        return [(Path.GetFileName(Path.TrimEndingDirectorySeparator(path)), buffer.ToArray())];
    }

    private static byte[] Compress(string system, byte[] data, int level, int capacity = 0)
    {
        var output = new MemoryStream(capacity > 0 ? capacity + 4096 : data.Length / 2);
        Stream stream = system switch
        {
            "warpdrive" => new WarpDriveGZipStream(output, level, null, leaveOpen: true),
            Verified => new WarpDriveGZipStream(output, level, VerifiedOptions, leaveOpen: true),
            "DeflateStream" => new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true),
            "SharpZipLib" => new GZipOutputStream(output) { IsStreamOwner = false },
            _ => throw new ArgumentException($"Unknown system '{system}'.", nameof(system)),
        };
        if (stream is GZipOutputStream sharp)
            sharp.SetLevel(level);
        using (stream)
        {
            // Writes of 128 KiB, as a file copy or a web server hands data over.
            for (int at = 0; at < data.Length; at += 128 * 1024)
                stream.Write(data, at, Math.Min(128 * 1024, data.Length - at));
        }
        return output.ToArray();
    }

    private static void Decompress(string system, byte[] compressed, int length)
    {
        var input = new MemoryStream(compressed);
        using Stream stream = system switch
        {
            "warpdrive" => new WarpDriveGZipStream(input, CompressionMode.Decompress),
            "DeflateStream" => new GZipStream(input, CompressionMode.Decompress),
            _ => new GZipInputStream(input),
        };
        var buffer = new byte[128 * 1024];
        long total = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
            total += n;
        if (total != length)
            throw new InvalidDataException($"{system} decompressed {total} bytes, expected {length}.");
    }

    /// <summary>The records as a JSON array of <c>{"system", "level", "corpus", "input_bytes", "output_bytes", "compress_mbps", "decompress_mbps", "decompress_foreign_mbps"}</c>.</summary>
    public static string ToJson(IReadOnlyList<CompressionBenchmarkRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var r in records)
            {
                json.WriteStartObject();
                json.WriteString("system", r.System);
                json.WriteNumber("level", r.Level);
                json.WriteString("corpus", r.Corpus);
                json.WriteNumber("input_bytes", r.InputBytes);
                json.WriteNumber("output_bytes", r.OutputBytes);
                json.WriteNumber("compress_mbps", r.CompressMbps);
                json.WriteNumber("decompress_mbps", r.DecompressMbps);
                json.WriteNumber("decompress_foreign_mbps", r.DecompressForeignMbps);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public static void WriteJson(string path, IReadOnlyList<CompressionBenchmarkRecord> records) => File.WriteAllText(path, ToJson(records));

    /// <summary>Writes <see cref="ToSvg"/> to <paramref name="path"/>.</summary>
    public static void WriteSvg(string path, IReadOnlyList<CompressionBenchmarkRecord> records) => File.WriteAllText(path, ToSvg(records));

    private const string Usage = "bench compress [--quick] [--rss-only | --small] [--corpus PATH] [--json PATH] [--svg PATH]";

    /// <summary>
    /// The whole <c>bench compress [--quick] [--rss-only] [--corpus PATH] [--json PATH] [--svg PATH]</c> command:
    /// parses <paramref name="args"/>, runs, prints the table to <paramref name="stdout"/> and progress to
    /// <paramref name="stderr"/>, writes the files asked for. Returns the exit code (2 for bad arguments).
    /// </summary>
    /// <remarks>
    /// Before the throughput runs, while nothing in the process has compressed yet, it measures memory with
    /// <see cref="CompressionMemoryProbe"/>: 1 GiB (256 MiB with <c>--quick</c>) of the first corpus through gzip -6,
    /// printed as <see cref="CompressionMemoryProbe.Describe"/>; with <c>--json PATH</c> the record goes to
    /// <see cref="CompressionMemoryProbe.JsonPathFor"/>(PATH), leaving PATH's array as it is. <c>--rss-only</c>
    /// runs just that measurement (and writes just that file).
    /// </remarks>
    public static int RunCommand(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var options = new CompressionBenchmarkOptions();
        string? json = null, svg = null;
        bool rssOnly = false, small = false;
        for (int i = 0; i < args.Length; i++)
        {
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--quick":
                    options.Quick = true;
                    break;
                case "--rss-only":
                    rssOnly = true;
                    break;
                case "--small":
                    small = true;
                    break;
                case "-h" or "--help":
                    stdout.WriteLine($"Usage: warpdrive {Usage}");
                    stdout.WriteLine();
                    stdout.WriteLine("Compress and decompress MB/s and output size of WarpDrive, DeflateStream and SharpZipLib on the same corpus,");
                    stdout.WriteLine("after measuring RSS growth while WarpDrive compresses 1 GiB (256 MiB with --quick) to gzip -6.");
                    stdout.WriteLine();
                    stdout.WriteLine("  --quick        16 MiB corpora, levels 1 and 6, one repetition; a 256 MiB memory probe");
                    stdout.WriteLine("  --rss-only     only the memory probe");
                    stdout.WriteLine("  --small        many small bodies (100 B to 1 MiB of text and JSON), one stream each, against GZipStream and DeflateStream");
                    stdout.WriteLine("  --corpus PATH  a file or directory to use as the only corpus");
                    stdout.WriteLine("  --json PATH    records to PATH, the memory record to PATH with .memory.json for its extension");
                    stdout.WriteLine("  --svg PATH     a bar chart of the records");
                    return 0;
                case "--corpus":
                    options.CorpusPath = Value();
                    if (options.CorpusPath is null || !(File.Exists(options.CorpusPath) || Directory.Exists(options.CorpusPath)))
                    {
                        stderr.WriteLine("bench compress: --corpus needs an existing file or directory");
                        return 2;
                    }
                    break;
                case "--json":
                    json = Value() ?? "";
                    break;
                case "--svg":
                    svg = Value() ?? "";
                    break;
                default:
                    stderr.WriteLine($"bench compress: unknown argument '{args[i]}'. Usage: {Usage}");
                    return 2;
            }
        }
        if (json is "" || svg is "")
        {
            stderr.WriteLine("bench compress: --json and --svg need a path");
            return 2;
        }
        if (small)
        {
            if (rssOnly || svg is not null || options.CorpusPath is not null)
            {
                stderr.WriteLine("bench compress: --small takes only --quick and --json");
                return 2;
            }
            var smallRecords = SmallBodyBenchmark.Run(options.Quick, new LineProgress(stderr));
            stdout.Write(SmallBodyBenchmark.ToTable(smallRecords));
            if (json is not null)
                File.WriteAllText(json, SmallBodyBenchmark.ToJson(smallRecords));
            return 0;
        }
        if (rssOnly && svg is not null)
        {
            stderr.WriteLine("bench compress: --svg charts throughput records, which --rss-only does not measure");
            return 2;
        }
        var progress = new LineProgress(stderr);
        var corpora = LoadCorpora(options, firstOnly: rssOnly);
        // First, while nothing in this process has compressed: the growth includes what a first stream brings.
        var memory = CompressionMemoryProbe.Run(corpora[0].Data,
            options.Quick ? CompressionMemoryProbe.QuickInputBytes : CompressionMemoryProbe.DefaultInputBytes,
            CompressionMemoryProbe.DefaultLevel, corpora[0].Name);
        progress.Report(CompressionMemoryProbe.DescribeDetails(memory));
        if (!rssOnly)
        {
            var records = RunOn(options, corpora, progress);
            stdout.Write(ToTable(records));
            if (json is not null)
                WriteJson(json, records);
            if (svg is not null)
                WriteSvg(svg, records);
        }
        stdout.WriteLine($"soft engine: compress {WarpDriveCompression.SoftCompressor}, decompress {WarpDriveCompression.SoftDecompressor}; streaming {WarpDriveCompression.StreamingDecompressor}");
        stdout.WriteLine(CompressionMemoryProbe.Describe(memory));
        if (json is not null)
            CompressionMemoryProbe.WriteJson(CompressionMemoryProbe.JsonPathFor(json), memory);
        return 0;
    }

    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }

    /// <summary>A text table: one row per measurement, with ratios to System.IO.Compression at the same corpus and level.</summary>
    public static string ToTable(IReadOnlyList<CompressionBenchmarkRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"corpus",-8} {"level",5} {"system",-18} {"compress MB/s",13} {"x",6} {"decompress MB/s",15} {"x",6} {"foreign MB/s",12} {"x",6} {"output bytes",13} {"size x",7}");
        foreach (var r in records)
        {
            var peer = records.FirstOrDefault(p => p.System == "DeflateStream" && p.Corpus == r.Corpus && p.Level == r.Level);
            double Ratio(double a, double b) => b > 0 ? a / b : double.NaN;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{r.Corpus,-8} {r.Level,5} {r.System,-18} {r.CompressMbps,13:F0} {Ratio(r.CompressMbps, peer?.CompressMbps ?? 0),6:F2} {r.DecompressMbps,15:F0} {Ratio(r.DecompressMbps, peer?.DecompressMbps ?? 0),6:F2} {r.DecompressForeignMbps,12:F0} {Ratio(r.DecompressForeignMbps, peer?.DecompressMbps ?? 0),6:F2} {r.OutputBytes,13} {Ratio(r.OutputBytes, peer?.OutputBytes ?? 0),7:F4}");
        }
        return text.ToString();
    }

    /// <summary>An SVG bar chart: compress and decompress MB/s per system, grouped by corpus and level.</summary>
    public static string ToSvg(IReadOnlyList<CompressionBenchmarkRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var groups = records.GroupBy(r => (r.Corpus, r.Level)).ToList();
        var systems = records.Select(r => r.System).Distinct().ToList();
        string[] colours = ["#d9480f", "#1c7ed6", "#2b8a3e", "#862e9c"];
        double max = records.Count == 0 ? 1 : records.Max(r => Math.Max(r.CompressMbps, r.DecompressMbps));
        const int barWidth = 14, chartHeight = 300, top = 40, left = 60;
        int groupWidth = (systems.Count * 2 * barWidth) + 30;
        int width = left + (groups.Count * groupWidth) + 20;
        var svg = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        svg.AppendLine(ci, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{chartHeight + top + 90}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.AppendLine(ci, $"<text x=\"{left}\" y=\"20\" font-size=\"14\">gzip MB/s: compress (solid), decompress (light), per corpus and level</text>");
        svg.AppendLine(ci, $"<line x1=\"{left}\" y1=\"{top + chartHeight}\" x2=\"{width - 10}\" y2=\"{top + chartHeight}\" stroke=\"#333\"/>");
        for (int g = 0; g < groups.Count; g++)
        {
            int x0 = left + (g * groupWidth);
            for (int s = 0; s < systems.Count; s++)
            {
                var r = groups[g].FirstOrDefault(q => q.System == systems[s]);
                if (r is null)
                    continue;
                foreach (var (value, opacity, k) in new[] { (r.CompressMbps, "1", 0), (r.DecompressMbps, "0.45", 1) })
                {
                    double h = value / max * chartHeight;
                    int x = x0 + (((s * 2) + k) * barWidth);
                    svg.AppendLine(ci, $"<rect x=\"{x}\" y=\"{top + chartHeight - h:F1}\" width=\"{barWidth - 2}\" height=\"{h:F1}\" fill=\"{colours[s % colours.Length]}\" fill-opacity=\"{opacity}\"><title>{r.System} {r.Corpus} L{r.Level}: {value:F0} MB/s</title></rect>");
                    svg.AppendLine(ci, $"<text x=\"{x + 6}\" y=\"{top + chartHeight - h - 3:F1}\" font-size=\"8\" text-anchor=\"middle\">{value:F0}</text>");
                }
            }
            svg.AppendLine(ci, $"<text x=\"{x0 + (groupWidth / 2) - 15}\" y=\"{top + chartHeight + 15}\" text-anchor=\"middle\">{groups[g].Key.Corpus} L{groups[g].Key.Level}</text>");
        }
        for (int s = 0; s < systems.Count; s++)
        {
            svg.AppendLine(ci, $"<rect x=\"{left + (s * 130)}\" y=\"{top + chartHeight + 40}\" width=\"12\" height=\"12\" fill=\"{colours[s % colours.Length]}\"/>");
            svg.AppendLine(ci, $"<text x=\"{left + (s * 130) + 16}\" y=\"{top + chartHeight + 50}\">{System.Security.SecurityElement.Escape(systems[s])}</text>");
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }
}
