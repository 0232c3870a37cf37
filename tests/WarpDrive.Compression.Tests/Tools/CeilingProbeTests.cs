using System.Globalization;
using System.Text.RegularExpressions;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests.Tools;

/// <summary>
/// The C probes under bench/ceiling (the bare codecs' two-thread ceiling the README quotes) still build against the
/// runtime's native library and libdeflate, decode what they time, and report a ratio.
/// </summary>
public sealed partial class CeilingProbeTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("warpdrive-ceiling-test").FullName;

    [Theory]
    [InlineData("zlibng_ceiling")]
    [InlineData("inflate_ceiling")] // also checks every member's length and CRC before timing counts
    public void A_probe_builds_and_reports_a_ratio(string name)
    {
        string probe = Build(name);
        string libraries = name == "inflate_ceiling" ? $"{NativeLibrary()} {Libdeflate()}" : NativeLibrary();
        string output = Run(probe, $"{libraries} {CorpusFile()} 6 2 1");
        Assert.Matches(Report(), output);
        Assert.True(Ratio(output) > 0);
    }

    [Fact]
    public void A_bad_argument_is_refused_with_usage_status()
    {
        string probe = Build("zlibng_ceiling");
        var (_, error, code) = ProcessRunner.Run(probe, $"{NativeLibrary()} {CorpusFile()} 6 0 1", []);
        Assert.Equal(2, code);
        Assert.Contains("threads", error, StringComparison.Ordinal);
    }

    private string Build(string name)
    {
        string source = Path.Combine(RepositoryRoot(), "bench", "ceiling", name + ".c");
        string binary = Path.Combine(_work, name);
        var (_, error, code) = ProcessRunner.Run("cc", $"-O2 -Wall -o {binary} {source} -ldl -lpthread", []);
        Assert.True(code == 0, $"cc failed: {error}");
        return binary;
    }

    private string CorpusFile()
    {
        string path = Path.Combine(_work, "corpus");
        if (!File.Exists(path))
            File.WriteAllBytes(path, Corpus.Mixed(6_000_000));
        return path;
    }

    private static string Run(string probe, string arguments)
    {
        var (output, error, code) = ProcessRunner.Run(probe, arguments, []);
        Assert.True(code == 0, $"{Path.GetFileName(probe)} exited with {code}: {error}");
        return System.Text.Encoding.UTF8.GetString(output);
    }

    private static string NativeLibrary() =>
        Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "libSystem.IO.Compression.Native.so");

    private static string Libdeflate() =>
        new[] { "/usr/lib/x86_64-linux-gnu/libdeflate.so.0", "/usr/lib/aarch64-linux-gnu/libdeflate.so.0" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("libdeflate0 is not installed (test.sh installs it).");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "bench", "ceiling")))
                return dir.FullName;
        }
        throw new InvalidOperationException("bench/ceiling not found above the test assembly.");
    }

    private static double Ratio(string output) =>
        double.Parse(Report().Match(output).Groups["ratio"].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^level 6, 6\.0 MB: .* MB/s, 2 threads .* MB/s, ratio (?<ratio>\d+\.\d\d)$", RegexOptions.Multiline)]
    private static partial Regex Report();

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
