using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using WarpDrive.Cli.CommandLine;
using WarpDrive.Cli.Measurements;
using WarpDrive.Devices.Soft;

namespace WarpDrive.Cli.Commands;

/// <summary>
/// <c>warpdrive bench queue</c>: the queue hand-off side by side with a pipe pair and a SemaphoreSlim pair, and
/// batched throughput through the queue and the pool, in one run, as ratios.
/// </summary>
internal static class BenchQueueCommand
{
    private const string Name = "warpdrive bench queue";

    /// <summary>Round trip target for the soft queue and the pool, in ns.</summary>
    public const double RoundTripTargetNs = 500;

    /// <summary>Batched no-op target, requests per second.</summary>
    public const double BatchedTargetPerSecond = 5_000_000;

    private static readonly string[] Header = ["SYSTEM", "OPERATION", "VALUE", "UNIT", "VS SOFT QUEUE", "TARGET"];

    private static readonly OptionSpec[] Options =
    [
        new("--quick", null, "Short runs: the whole benchmark in well under 30 s (default about a minute)."),
        new("--json", "PATH", "Also write the results to PATH as a JSON array of {system, operation, value, unit, ...}."),
        new("--runs", "N", "Timed runs per measurement; the median is reported (default 9, 5 with --quick)."),
        new("--workers", "N", "Soft engine worker threads (default: one per core)."),
    ];

    public static string Help => CliApplication.FormatHelp(
        "warpdrive bench queue [--quick] [--json PATH] [--runs N] [--workers N]",
        """
        Measures, side by side in one run:
          warpdrive-soft-queue round_trip   one no-op request through the in-process engine's queue, spin-polled
          pipe round_trip                   1 byte there and back through two anonymous pipes between two threads
          SemaphoreSlim round_trip          a release/wait there and back through two SemaphoreSlims
          warpdrive-pool round_trip         one no-op request through AcceleratorPool.Run
          warpdrive-soft-queue batched_nop  64 no-op SQEs per doorbell through one queue, then drained
          warpdrive-pool batched_nop        64 reused no-op requests per AcceleratorPool.RunBatch
        Each figure is the median of several timed runs after a warm-up. Targets: round trip <= 0.5 us,
        batched >= 5 M requests/s. Progress goes to stderr, the table to stdout.
        """,
        Options);

    public static int Run(ReadOnlySpan<string> args, TextWriter stdout, TextWriter stderr)
    {
        var options = ParsedOptions.Parse(Name, Options, args);
        if (options.HelpRequested)
        {
            stdout.WriteLine(Help);
            return CliApplication.ExitOk;
        }
        bool quick = options.Has("--quick");
        var settings = quick ? BenchSettings.Quick : BenchSettings.Full;
        settings = settings with { Runs = options.Int("--runs", settings.Runs, 1, 1000) };
        int workers = options.Int("--workers", new SoftEngineOptions().WorkerCount, 1, 256);
        string? jsonPath = options.Value("--json");
        if (jsonPath is not null)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(jsonPath));
            if (directory is not null && !Directory.Exists(directory))
                throw new UsageException($"option '--json': the directory '{directory}' does not exist.", Name);
        }

        SoftEngineOptions Engine() => new() { WorkerCount = workers };
        WarpDriveOptions Pool() => new() { SoftEngine = Engine() };
        var plan = new (string Label, Func<IMeasurable> Create)[]
        {
            ("warpdrive-soft-queue round_trip", () => new SoftQueueRoundTrip(Engine())),
            ("pipe round_trip", () => new PipeRoundTrip()),
            ("SemaphoreSlim round_trip", () => new SemaphoreRoundTrip()),
            ("warpdrive-pool round_trip", () => new PoolRoundTrip(Pool())),
            ("warpdrive-soft-queue batched_nop", () => new SoftQueueBatch(Engine())),
            ("warpdrive-pool batched_nop", () => new PoolBatch(Pool())),
        };

        double? loadBefore = LoadAverage();
        var wall = Stopwatch.StartNew();
        var results = new List<MeasurementResult>();
        for (int i = 0; i < plan.Length; i++)
        {
            stderr.Write($"[{i + 1}/{plan.Length}] {plan[i].Label} ... ");
            stderr.Flush();
            MeasurementResult result;
            using (var measurable = plan[i].Create())
                result = MeasurementRunner.Measure(measurable, settings);
            results.Add(result);
            stderr.WriteLine($"{Format(result.Median, result.Unit)} {result.UnitName} (median of {result.Samples.Count}, {Format(result.Min, result.Unit)}..{Format(result.Max, result.Unit)})");
        }
        wall.Stop();

        WriteTable(stdout, results, settings, workers, wall.Elapsed, loadBefore);
        if (jsonPath is not null)
        {
            WriteJson(jsonPath, results, loadBefore);
            stderr.WriteLine($"Wrote {results.Count} records to {jsonPath}.");
        }
        return CliApplication.ExitOk;
    }

    private static MeasurementResult Find(IEnumerable<MeasurementResult> results, string system, string operation) =>
        results.First(r => r.System == system && r.Operation == operation);

    /// <summary>The target a record is held to, if any: warpdrive's own systems only.</summary>
    private static (string Text, bool Met)? Target(MeasurementResult r)
    {
        if (!r.System.StartsWith("warpdrive", StringComparison.Ordinal))
            return null;
        return r.Operation switch
        {
            "round_trip" => ("<= 500 ns", r.Median <= RoundTripTargetNs),
            "batched_nop" => (">= 5 M/s", r.Median >= BatchedTargetPerSecond),
            _ => null,
        };
    }

    /// <summary>A record's value over the soft queue's for the same operation: times the time (ns) or the rate (requests/s).</summary>
    private static double RatioToQueue(IReadOnlyList<MeasurementResult> results, MeasurementResult r) =>
        r.Median / Find(results, "warpdrive-soft-queue", r.Operation).Median;

    private static void WriteTable(TextWriter stdout, IReadOnlyList<MeasurementResult> results, BenchSettings settings, int workers, TimeSpan wall, double? loadBefore)
    {
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warpdrive bench queue: median of {settings.Runs} runs each; {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, soft engine {workers} workers"));
        if (loadBefore is { } before)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Load average before: {before:0.00}, after: {LoadAverage() ?? double.NaN:0.00} (the spinning measurements add up to 2)."));
            if (before >= Math.Max(1, Environment.ProcessorCount - 2))
                stdout.WriteLine("Warning: the machine was busy; spin-polled hand-offs need a free core on each side and suffer most.");
        }
        stdout.WriteLine();
        var rows = new List<string[]> { Header };
        foreach (var r in results)
        {
            double ratio = RatioToQueue(results, r);
            string ratioText = r.System == "warpdrive-soft-queue"
                ? "1.00 (baseline)"
                : $"{FormatRatio(ratio)}x {(r.Unit == MeasureUnit.Nanoseconds ? "the time" : "the rate")}";
            var target = Target(r);
            rows.Add(
            [
                r.System,
                r.Operation,
                Format(r.Median, r.Unit),
                r.UnitName,
                ratioText,
                target is { } t ? $"{t.Text}: {(t.Met ? "met" : "MISSED")}" : "",
            ]);
        }
        TextTable.Write(stdout, rows, new HashSet<int> { 2 });
        stdout.WriteLine();
        var spin = Find(results, "warpdrive-soft-queue", "round_trip").Median;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Round trip ratios: pipe/spin {FormatRatio(Find(results, "pipe", "round_trip").Median / spin)}x, SemaphoreSlim/spin {FormatRatio(Find(results, "SemaphoreSlim", "round_trip").Median / spin)}x, pool/spin {FormatRatio(Find(results, "warpdrive-pool", "round_trip").Median / spin)}x."));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Batched rate: pool/queue {FormatRatio(Find(results, "warpdrive-pool", "batched_nop").Median / Find(results, "warpdrive-soft-queue", "batched_nop").Median)}x."));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Measured in {wall.TotalSeconds:0.0} s."));
    }

    private static string FormatRatio(double ratio) =>
        ratio.ToString(ratio >= 10 ? "#,0" : ratio >= 0.1 ? "0.00" : "0.0###", CultureInfo.InvariantCulture);

    internal static string Format(double value, MeasureUnit unit) => unit == MeasureUnit.Nanoseconds
        ? value.ToString(value < 100 ? "0.0" : "#,0", CultureInfo.InvariantCulture)
        : value.ToString("#,0", CultureInfo.InvariantCulture);

    private static void WriteJson(string path, IReadOnlyList<MeasurementResult> results, double? loadBefore)
    {
        using var file = File.Create(path);
        using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var r in results)
        {
            json.WriteStartObject();
            json.WriteString("system", r.System);
            json.WriteString("operation", r.Operation);
            json.WriteNumber("value", Round(r.Median, r.Unit));
            json.WriteString("unit", r.UnitName);
            json.WriteNumber("median", Round(r.Median, r.Unit));
            json.WriteNumber("min", Round(r.Min, r.Unit));
            json.WriteNumber("max", Round(r.Max, r.Unit));
            json.WriteNumber("runs", r.Samples.Count);
            json.WriteNumber("iterations_per_run", r.IterationsPerRun);
            json.WriteNumber("operations_per_iteration", r.OperationsPerIteration);
            json.WriteNumber("ratio_to_soft_queue", Math.Round(RatioToQueue(results, r), 3));
            if (Target(r) is { } t)
            {
                json.WriteString("target", t.Text);
                json.WriteBoolean("target_met", t.Met);
            }
            json.WriteStartArray("samples");
            foreach (var s in r.Samples)
                json.WriteNumberValue(Round(s, r.Unit));
            json.WriteEndArray();
            foreach (var (key, value) in r.Details)
            {
                switch (value)
                {
                    case int i:
                        json.WriteNumber(key, i);
                        break;
                    default:
                        json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }
            json.WriteNumber("cores", Environment.ProcessorCount);
            if (loadBefore is { } load)
                json.WriteNumber("load_average_before", load);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>The one-minute load average (Linux), or null where it cannot be read.</summary>
    private static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            var first = text.Split(' ', 2)[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double load) ? load : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double Round(double value, MeasureUnit unit) => unit == MeasureUnit.Nanoseconds ? Math.Round(value, 1) : Math.Round(value);
}
