using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using WarpDrive.Compression;

namespace WarpDrive.Cli.Benchmarks;

/// <summary>One small-body measurement: streams (or one-shot calls) per second on bodies of one size.</summary>
/// <param name="System"><c>warpdrive</c>, <c>GZipStream</c> or <c>DeflateStream</c>.</param>
/// <param name="Operation"><c>compress</c> or <c>decompress</c>.</param>
/// <param name="Api"><c>stream</c> or <c>oneshot</c>; the BCL systems' records carry the api of the WarpDrive record they pair with.</param>
/// <param name="Corpus"><c>text</c> or <c>json</c>.</param>
/// <param name="Level">Compression level: 1 (Fastest) or 6 (Optimal).</param>
/// <param name="BodyBytes">Uncompressed size of one body.</param>
/// <param name="Threads">Threads running streams at once.</param>
/// <param name="OpsPerSecond">Streams (or one-shot calls) completed per second, all threads together.</param>
/// <param name="OutputBytes">Compressed size of one body.</param>
/// <param name="AllocatedBytes">Managed bytes allocated per stream on the measuring thread.</param>
public sealed record SmallBodyRecord(string System, string Operation, string Api, string Corpus, int Level, int BodyBytes, int Threads,
    double OpsPerSecond, long OutputBytes, long AllocatedBytes);

/// <summary>
/// <c>warpdrive bench compress --small</c>: what a server sees, many small bodies, each compressed (or decompressed)
/// by a new stream that is then disposed. WarpDrive's stream and one-shot encoder against GZipStream and
/// DeflateStream on the same bodies, in one run, the systems taking turns pass by pass.
/// </summary>
public static class SmallBodyBenchmark
{
    /// <summary>The body sizes measured.</summary>
    public static readonly IReadOnlyList<int> BodySizes = [100, 1024, 4096, 16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024];

    private static readonly string[] Systems = ["warpdrive", "GZipStream", "DeflateStream"];

    /// <summary>Measures every size, corpus, level (1, 6), thread count (1, 2), api and operation.</summary>
    public static List<SmallBodyRecord> Run(bool quick, IProgress<string> progress, IReadOnlyList<int>? sizes = null)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var pass = TimeSpan.FromMilliseconds(quick ? 25 : 150);
        var corpora = new[] { ("text", BenchmarkCorpus.Load("*.xml", 2 << 20)), ("json", JsonCorpus(2 << 20)) };
        var records = new List<SmallBodyRecord>();
        // One unrecorded pass over every system and path first: the first rows measured would otherwise carry the
        // JIT's tiering and the pool's first queue (seen as a 100 B row at a third of its later speed).
        foreach (int level in new[] { 1, 6 })
        {
            foreach (string operation in new[] { "compress", "decompress" })
            {
                foreach (string api in new[] { "stream", "oneshot" })
                    Measure(corpora[0].Item2.AsMemory(0, 1024).ToArray(), level, threads: 1, operation, api, pass);
            }
        }
        foreach (var (corpus, data) in corpora)
        {
            foreach (int size in sizes ?? BodySizes)
            {
                var body = data.AsMemory(data.Length / 3, size).ToArray();
                foreach (int level in new[] { 1, 6 })
                {
                    foreach (int threads in new[] { 1, 2 })
                    {
                        foreach (string operation in new[] { "compress", "decompress" })
                        {
                            foreach (string api in new[] { "stream", "oneshot" })
                            {
                                var set = Measure(body, level, threads, operation, api, pass);
                                foreach (var (system, ops, output, allocated) in set)
                                    records.Add(new SmallBodyRecord(system, operation, api, corpus, level, size, threads, ops, output, allocated));
                                double ratio = set[0].Ops / set[1].Ops;
                                progress.Report(string.Create(CultureInfo.InvariantCulture,
                                    $"{corpus} {size} B L{level} {threads}t {operation} {api}: warpdrive {set[0].Ops:F0}/s, GZipStream {set[1].Ops:F0}/s ({ratio:F2}x), {set[0].Allocated} B allocated"));
                            }
                        }
                    }
                }
            }
        }
        return records;
    }

    private static List<(string System, double Ops, long Output, long Allocated)> Measure(byte[] body, int level, int threads, string operation, string api, TimeSpan pass)
    {
        var inputs = Systems.ToDictionary(s => s, s => operation == "compress" ? body : Compress(s, "stream", body, level));
        Func<byte[], long> Work(string system) => operation == "compress"
            ? input => CompressedLength(system, api, input, level)
            : input => Decompress(system, api, input, body.Length);
        foreach (var system in Systems)
        {
            for (int i = 0; i < 3; i++)
                Work(system)(inputs[system]);
        }
        var best = Systems.ToDictionary(s => s, _ => 0.0);
        var allocated = Systems.ToDictionary(s => s, _ => 0L);
        for (int round = 0; round < 3; round++)
        {
            foreach (var system in round % 2 == 0 ? Systems : Systems.Reverse())
            {
                var (ops, perOp) = Timed(Work(system), inputs[system], threads, pass);
                best[system] = Math.Max(best[system], ops);
                allocated[system] = perOp;
            }
        }
        return Systems.Select(s => (s, best[s], operation == "compress" ? Compress(s, "stream", body, level).LongLength : inputs[s].LongLength, allocated[s])).ToList();
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="threads"/> threads for <paramref name="pass"/>: operations per second, bytes allocated per operation.</summary>
    private static (double Ops, long AllocatedPerOp) Timed(Func<byte[], long> work, byte[] input, int threads, TimeSpan pass)
    {
        long total = 0, allocated = 0, counted = 0;
        using var start = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            // Each pass runs on new threads: one operation first, outside the clock, so a thread's first-use costs
            // (its scratch output, the pool opening its queue) are not counted as every stream's.
            work(input);
            start.SignalAndWait();
            long before = GC.GetAllocatedBytesForCurrentThread();
            long n = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < pass)
            {
                work(input);
                n++;
            }
            long after = GC.GetAllocatedBytesForCurrentThread();
            Interlocked.Add(ref total, n);
            Interlocked.Add(ref allocated, after - before);
            Interlocked.Add(ref counted, n);
        })).ToList();
        GC.Collect();
        workers.ForEach(w => w.Start());
        var wall = Stopwatch.StartNew();
        start.SignalAndWait();
        workers.ForEach(w => w.Join());
        return (total / wall.Elapsed.TotalSeconds, counted == 0 ? 0 : allocated / counted);
    }

    // Each measuring thread's output space, reused, so allocation figures are the streams' own.
    [ThreadStatic]
    private static MemoryStream? t_output;

    [ThreadStatic]
    private static byte[]? t_buffer;

    private static byte[] Buffer(int length)
    {
        if (t_buffer is null || t_buffer.Length < length)
            t_buffer = new byte[length];
        return t_buffer;
    }

    /// <summary>The compressed length of one body (the timed path).</summary>
    private static long CompressedLength(string system, string api, byte[] input, int level) => CompressToScratch(system, api, input, level).Length;

    /// <summary>One body compressed, as an array of its own (for the inputs of the decompression passes and the sizes).</summary>
    private static byte[] Compress(string system, string api, byte[] input, int level) => CompressToScratch(system, api, input, level).ToArray();

    /// <summary>Compresses one body into this thread's reused space, so allocation figures are the codec's own.</summary>
    private static ReadOnlySpan<byte> CompressToScratch(string system, string api, byte[] input, int level)
    {
        if (system == "warpdrive" && api == "oneshot")
        {
            var buffer = Buffer((int)WarpDriveGZipEncoder.GetMaxCompressedLength(input.Length));
            return WarpDriveGZipEncoder.TryCompress(input, buffer, out int written, level)
                ? buffer.AsSpan(0, written)
                : throw new InvalidOperationException("The one-shot encoder ran out of room.");
        }
        var output = t_output ??= new MemoryStream(4 << 20);
        output.SetLength(0);
        var bcl = level == 1 ? CompressionLevel.Fastest : CompressionLevel.Optimal;
        using (Stream stream = system switch
        {
            "warpdrive" => new WarpDriveGZipStream(output, level, null, leaveOpen: true),
            "GZipStream" => new GZipStream(output, bcl, leaveOpen: true),
            _ => new DeflateStream(output, bcl, leaveOpen: true),
        })
        {
            stream.Write(input);
        }
        return output.GetBuffer().AsSpan(0, (int)output.Length);
    }

    private static long Decompress(string system, string api, byte[] compressed, int length)
    {
        var output = Buffer(length + 1);
        if (system == "warpdrive" && api == "oneshot")
        {
            if (!WarpDriveGZipDecoder.TryDecompress(compressed, output.AsSpan(0, length + 1), out int written) || written != length)
                throw new InvalidDataException("The one-shot decoder did not give the body back.");
            return written;
        }
        using Stream stream = system switch
        {
            "warpdrive" => new WarpDriveGZipStream(new MemoryStream(compressed), CompressionMode.Decompress),
            "GZipStream" => new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress),
            _ => new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress),
        };
        int total = stream.ReadAtLeast(output.AsSpan(0, length + 1), length + 1, throwOnEndOfStream: false);
        if (total != length)
            throw new InvalidDataException($"{system} gave {total} bytes back, not {length}.");
        return total;
    }

    /// <summary>JSON as a web API returns it: arrays of records, as a serializer writes them.</summary>
    private static byte[] JsonCorpus(int length)
    {
        var random = new Random(1951);
        var buffer = new MemoryStream();
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartArray();
        for (int i = 0; buffer.Length < length; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("id", i);
            json.WriteString("name", $"item-{i}");
            json.WriteNumber("price", Math.Round(random.NextDouble() * 1000, 2));
            json.WriteStartArray("tags");
            json.WriteStringValue("a" + (i % 7));
            json.WriteStringValue("b" + (i % 13));
            json.WriteEndArray();
            json.WriteBoolean("active", i % 3 == 0);
            json.WriteEndObject();
            if (i % 256 == 0)
                json.Flush();
        }
        json.WriteEndArray();
        json.Flush();
        return buffer.ToArray();
    }

    /// <summary>The records as a JSON array of <c>{system, operation, api, corpus, level, body_bytes, threads, ops_per_s, output_bytes, allocated_bytes}</c>.</summary>
    public static string ToJson(IReadOnlyList<SmallBodyRecord> records)
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
                json.WriteString("operation", r.Operation);
                json.WriteString("api", r.Api);
                json.WriteString("corpus", r.Corpus);
                json.WriteNumber("level", r.Level);
                json.WriteNumber("body_bytes", r.BodyBytes);
                json.WriteNumber("threads", r.Threads);
                json.WriteNumber("ops_per_s", Math.Round(r.OpsPerSecond, 1));
                json.WriteNumber("output_bytes", r.OutputBytes);
                json.WriteNumber("allocated_bytes", r.AllocatedBytes);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A text table: WarpDrive's streams per second against GZipStream's, and the size and allocation per stream.</summary>
    public static string ToTable(IReadOnlyList<SmallBodyRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"corpus",-6} {"body",8} {"L",2} {"thr",3} {"operation",-10} {"api",-8} {"warpdrive/s",12} {"GZipStream/s",13} {"x",6} {"size x",7} {"alloc B",8}");
        foreach (var r in records.Where(r => r.System == "warpdrive"))
        {
            var peer = records.First(p => p.System == "GZipStream" && p.Operation == r.Operation && p.Api == r.Api && p.Corpus == r.Corpus
                && p.Level == r.Level && p.BodyBytes == r.BodyBytes && p.Threads == r.Threads);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{r.Corpus,-6} {r.BodyBytes,8} {r.Level,2} {r.Threads,3} {r.Operation,-10} {r.Api,-8} {r.OpsPerSecond,12:F0} {peer.OpsPerSecond,13:F0} {r.OpsPerSecond / peer.OpsPerSecond,6:F2} {(double)r.OutputBytes / peer.OutputBytes,7:F3} {r.AllocatedBytes,8}");
        }
        return text.ToString();
    }
}
