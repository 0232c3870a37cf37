using System.Text.Json;
using WarpDrive.Cli.Benchmarks;

namespace WarpDrive.Cli.Tests.Benchmarks;

/// <summary>The RSA benchmark measures every system, operation and thread count in one run and writes the agreed JSON shape (no speed is asserted).</summary>
public sealed class RsaBenchmarkReportTests
{
    [Fact]
    public void A_short_run_measures_every_cell_and_writes_the_json_fields()
    {
        var progress = new StringWriter();
        using var pool = new WarpDrive.Scheduling.AcceleratorPool(new WarpDriveOptions { UseHardware = false, UseKernelSoftDevices = false });
        var records = RsaBenchmark.Run(TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(10), [1024], [1, 2], progress, pool);
        Assert.Equal(3 * 2 * 2, records.Count);
        Assert.All(records, r => Assert.True(r.OpsPerSecond > 0, r.ToString()));
        Assert.Equal(["DotNetRSA", "RsaBlindedEngine", "warpdrive"], records.Select(r => r.System).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains("soft engine arithmetic", progress.ToString(), StringComparison.Ordinal);

        using var json = JsonDocument.Parse(RsaBenchmark.ToJson(records));
        var first = json.RootElement[0];
        Assert.Equal(["system", "operation", "key_bits", "threads", "ops_per_s"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1024, first.GetProperty("key_bits").GetInt32());

        var table = new StringWriter();
        RsaBenchmark.WriteTable(records, table);
        Assert.Contains("wd/BC", table.ToString(), StringComparison.Ordinal);
    }
}
