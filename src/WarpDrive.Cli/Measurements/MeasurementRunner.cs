using System.Diagnostics;

namespace WarpDrive.Cli.Measurements;

/// <summary>How long to measure: runs per measurement, the time each run aims for, and the warm-up before them.</summary>
internal sealed record BenchSettings(int Runs, TimeSpan RunTime, TimeSpan Warmup)
{
    /// <summary>Under 30 s for the whole <c>bench queue</c>, process start included.</summary>
    public static BenchSettings Quick { get; } = new(5, TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(150));

    /// <summary>About a minute for the whole <c>bench queue</c>.</summary>
    public static BenchSettings Full { get; } = new(9, TimeSpan.FromMilliseconds(900), TimeSpan.FromMilliseconds(600));
}

/// <summary>One measurement's outcome: the median of its runs, with the spread.</summary>
internal sealed record MeasurementResult(
    string System,
    string Operation,
    MeasureUnit Unit,
    double Median,
    double Min,
    double Max,
    IReadOnlyList<double> Samples,
    long IterationsPerRun,
    int OperationsPerIteration,
    IReadOnlyDictionary<string, object> Details)
{
    public string UnitName => Unit == MeasureUnit.Nanoseconds ? "ns" : "requests/s";
}

/// <summary>Calibrates an iteration count during warm-up, then times several runs of it.</summary>
internal static class MeasurementRunner
{
    public static MeasurementResult Measure(IMeasurable measurable, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(measurable);
        ArgumentNullException.ThrowIfNull(settings);
        double target = settings.RunTime.TotalSeconds;
        long n = 1;
        double seconds;
        long warmStart = Stopwatch.GetTimestamp();
        while (true)
        {
            seconds = Time(measurable, n);
            if (Stopwatch.GetElapsedTime(warmStart) >= settings.Warmup && seconds >= Math.Min(0.002, target / 4))
                break;
            if (seconds < target / 8)
                n *= 2;
        }
        long perRun = Math.Max(1, (long)Math.Round(n * target / seconds));
        var samples = new double[settings.Runs];
        for (int r = 0; r < settings.Runs; r++)
        {
            double s = Time(measurable, perRun);
            double operations = (double)perRun * measurable.OperationsPerIteration;
            samples[r] = measurable.Unit == MeasureUnit.Nanoseconds ? s * 1e9 / operations : operations / s;
        }
        var sorted = samples.Order().ToArray();
        double median = sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new MeasurementResult(measurable.System, measurable.Operation, measurable.Unit, median, sorted[0], sorted[^1],
            samples, perRun, measurable.OperationsPerIteration, measurable.Details);
    }

    private static double Time(IMeasurable measurable, long iterations)
    {
        long start = Stopwatch.GetTimestamp();
        measurable.Run(iterations);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
