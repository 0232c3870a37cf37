using System.Text.Json;
using WarpDrive.Cli.Benchmarks;

namespace WarpDrive.Cli.Tests.Benchmarks;

/// <summary>The side-by-side benchmark measures every system on one corpus and writes JSON and SVG.</summary>
public sealed class CompressionBenchmarkTests
{
    [Fact]
    public void A_tiny_run_measures_every_system_and_writes_json_and_svg()
    {
        var dir = Directory.CreateTempSubdirectory("wd-bench-").FullName;
        try
        {
            string corpus = Path.Combine(dir, "corpus.bin");
            File.WriteAllBytes(corpus, BenchmarkCorpus.Load("*.xml", 3 << 20));
            var lines = new List<string>();
            var records = CompressionBenchmark.Run(new CompressionBenchmarkOptions { CorpusPath = corpus, Levels = [1], Repetitions = 1 }, new SyncProgress(lines));
            Assert.Equal(CompressionBenchmark.AllSystems, records.Select(r => r.System));
            Assert.All(records, r => Assert.True(r.CompressMbps > 0 && r.DecompressMbps > 0 && r.OutputBytes < r.InputBytes));
            Assert.Equal(CompressionBenchmark.AllSystems.Count, lines.Count);

            using var json = JsonDocument.Parse(CompressionBenchmark.ToJson(records));
            var first = json.RootElement[0];
            foreach (var field in new[] { "system", "level", "corpus", "input_bytes", "output_bytes", "compress_mbps", "decompress_mbps" })
                Assert.True(first.TryGetProperty(field, out _), field);
            Assert.StartsWith("<svg", CompressionBenchmark.ToSvg(records), StringComparison.Ordinal);
            Assert.Contains("warpdrive", CompressionBenchmark.ToTable(records), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_default_corpus_is_real_sdk_data()
    {
        Assert.NotEmpty(BenchmarkCorpus.Files("*.dll"));
        Assert.True(BenchmarkCorpus.Load("*.xml", 1 << 20).Length > 0);
    }

    private sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}

/// <summary>The command-line entry point parses its arguments and writes the files asked for.</summary>
public sealed class CompressionBenchmarkCommandTests
{
    [Fact]
    public void Bad_arguments_exit_2_and_a_small_run_writes_json_and_svg()
    {
        Assert.Equal(2, CompressionBenchmark.RunCommand(["--nope"], TextWriter.Null, TextWriter.Null));
        Assert.Equal(2, CompressionBenchmark.RunCommand(["--json"], TextWriter.Null, TextWriter.Null));
        Assert.Equal(2, CompressionBenchmark.RunCommand(["--corpus", "/nonexistent/x"], TextWriter.Null, TextWriter.Null));
        var dir = Directory.CreateTempSubdirectory("wd-benchcmd-").FullName;
        try
        {
            string corpus = Path.Combine(dir, "c.bin");
            File.WriteAllBytes(corpus, BenchmarkCorpus.Load("*.dll", 1 << 20));
            var stdout = new StringWriter();
            Assert.Equal(0, CompressionBenchmark.RunCommand(["--quick", "--corpus", corpus, "--json", Path.Combine(dir, "r.json"), "--svg", Path.Combine(dir, "r.svg")], stdout, TextWriter.Null));
            Assert.Contains("SharpZipLib", stdout.ToString(), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, "r.json")) && File.Exists(Path.Combine(dir, "r.svg")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
