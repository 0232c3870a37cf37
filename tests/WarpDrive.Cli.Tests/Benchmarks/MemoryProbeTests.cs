using System.Text.Json;
using WarpDrive.Cli.Benchmarks;

namespace WarpDrive.Cli.Tests.Benchmarks;

/// <summary>
/// The RSS probe behind <c>bench compress</c>'s memory line reads real RSS and reports a sane record. RSS is
/// process-wide, so these run alone, after the parallel tests; no timing or target assertions.
/// </summary>
[Collection(nameof(MemoryProbeAlone))]
public sealed class MemoryProbeTests
{
    private static readonly byte[] Corpus = BenchmarkCorpus.Load("*.xml", 4 << 20);

    [Fact]
    public void Compressing_64_MiB_reports_a_bounded_non_negative_growth()
    {
        const long input = 64L << 20;
        var record = CompressionMemoryProbe.Run(Corpus, input, level: 6, corpusName: "text");

        Assert.Equal(("warpdrive", "gzip", 6, "text", input), (record.System, record.Format, record.Level, record.Corpus, record.InputBytes));
        Assert.InRange(record.OutputBytes, 1, input - 1);
        Assert.True(record.BaselineRssBytes > 1 << 20, $"baseline {record.BaselineRssBytes}");
        Assert.True(record.PeakRssBytes >= record.BaselineRssBytes);
        Assert.InRange(record.RssGrowthBytes, 0, 256L << 20);
        Assert.True(record.Samples >= 9, $"{record.Samples} samples"); // the writer samples every 8 MiB, plus one at the end

        using var json = JsonDocument.Parse(CompressionMemoryProbe.ToJson(record));
        Assert.Equal(record.RssGrowthBytes, json.RootElement.GetProperty("rss_growth_bytes").GetInt64());
        Assert.Equal(CompressionMemoryProbe.TargetGrowthBytes, json.RootElement.GetProperty("target_rss_growth_bytes").GetInt64());
        Assert.StartsWith("64 MiB gzip -6 compress: RSS grew ", CompressionMemoryProbe.Describe(record), StringComparison.Ordinal);
        Assert.EndsWith("MiB (target <= 64 MiB)", CompressionMemoryProbe.Describe(record), StringComparison.Ordinal);
    }

    [Fact]
    public void The_reading_is_the_resident_set_and_sees_memory_the_process_touches()
    {
        GC.Collect();
        long before = CompressionMemoryProbe.ReadRssBytes();
        var block = GC.AllocateUninitializedArray<byte>(48 << 20);
        for (int i = 0; i < block.Length; i += 4096)
            block[i] = 1;
        long after = CompressionMemoryProbe.ReadRssBytes();
        GC.KeepAlive(block);
        Assert.True(after - before >= 32L << 20, $"RSS {before} -> {after} after touching 48 MiB");
    }

    [Fact]
    public void The_command_prints_the_memory_line_and_writes_it_beside_the_json()
    {
        Assert.Equal("out/r.memory.json", CompressionMemoryProbe.JsonPathFor("out/r.json"));
        Assert.Equal("r.memory.json", CompressionMemoryProbe.JsonPathFor("r"));
        Assert.Equal(2, CompressionBenchmark.RunCommand(["--rss-only", "--svg", "x.svg"], TextWriter.Null, TextWriter.Null));

        var dir = Directory.CreateTempSubdirectory("wd-rss-").FullName;
        try
        {
            string corpus = Path.Combine(dir, "c.bin");
            File.WriteAllBytes(corpus, Corpus.AsSpan(0, 2 << 20).ToArray());
            var stdout = new StringWriter();
            string json = Path.Combine(dir, "r.json");
            Assert.Equal(0, CompressionBenchmark.RunCommand(["--rss-only", "--quick", "--corpus", corpus, "--json", json], stdout, TextWriter.Null));
            Assert.Contains("256 MiB gzip -6 compress: RSS grew ", stdout.ToString(), StringComparison.Ordinal);
            Assert.False(File.Exists(json)); // --rss-only measures no throughput records
            using var memory = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "r.memory.json")));
            Assert.Equal(256L << 20, memory.RootElement.GetProperty("input_bytes").GetInt64());
            Assert.True(memory.RootElement.GetProperty("rss_growth_bytes").GetInt64() >= 0);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>Tests that measure process-wide memory run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(MemoryProbeAlone), DisableParallelization = true)]
public sealed class MemoryProbeAlone;
