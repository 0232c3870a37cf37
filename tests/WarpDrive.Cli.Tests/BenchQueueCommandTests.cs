using System.Text.Json;

namespace WarpDrive.Cli.Tests;

public sealed class BenchQueueCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("warpdrive-cli-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Quick_bench_writes_every_system_and_operation_as_json_records()
    {
        var path = Path.Combine(_directory, "bench.json");

        // --runs 1 keeps the test short; timings are not asserted (DESIGN.md: speed is measured, not tested).
        var (code, stdout, stderr) = CliRunner.Run("bench", "queue", "--quick", "--runs", "1", "--json", path);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        var records = doc.RootElement.EnumerateArray().ToList();
        foreach (var record in records)
        {
            Assert.False(string.IsNullOrEmpty(record.GetProperty("system").GetString()));
            Assert.False(string.IsNullOrEmpty(record.GetProperty("operation").GetString()));
            Assert.True(record.GetProperty("value").GetDouble() > 0);
            Assert.Contains(record.GetProperty("unit").GetString(), new[] { "ns", "requests/s" });
            Assert.Equal(1, record.GetProperty("runs").GetInt32());
        }
        var pairs = records.Select(r => (r.GetProperty("system").GetString(), r.GetProperty("operation").GetString(), r.GetProperty("unit").GetString())).ToList();
        Assert.Contains(("warpdrive-soft-queue", "round_trip", "ns"), pairs);
        Assert.Contains(("pipe", "round_trip", "ns"), pairs);
        Assert.Contains(("SemaphoreSlim", "round_trip", "ns"), pairs);
        Assert.Contains(("warpdrive-pool", "round_trip", "ns"), pairs);
        Assert.Contains(("warpdrive-soft-queue", "batched_nop", "requests/s"), pairs);
        Assert.Contains(("warpdrive-pool", "batched_nop", "requests/s"), pairs);
        Assert.Equal(6, records.Count);

        // The table names every system, the ratios and the targets; progress went to stderr, one line each.
        foreach (var system in new[] { "warpdrive-soft-queue", "pipe", "SemaphoreSlim", "warpdrive-pool" })
            Assert.Contains(system, stdout, StringComparison.Ordinal);
        Assert.Contains("pipe/spin", stdout, StringComparison.Ordinal);
        Assert.Contains("<= 500 ns", stdout, StringComparison.Ordinal);
        Assert.Contains(">= 5 M/s", stdout, StringComparison.Ordinal);
        Assert.Equal(6, stderr.Split('\n').Count(l => l.StartsWith('[')));
    }
}
