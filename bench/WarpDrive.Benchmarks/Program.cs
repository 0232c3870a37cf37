using BenchmarkDotNet.Running;

namespace WarpDrive.Benchmarks;

/// <summary>
/// BenchmarkDotNet entry: <c>dotnet run -c Release --project bench/WarpDrive.Benchmarks -- --filter '*'</c>
/// (or <c>--list flat</c>, <c>--job dry</c>). The side-by-side report is <c>warpdrive bench queue</c>.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks the arguments select.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
