using System.Text.Json;

namespace WarpDrive.Cli.Tests;

public class DevicesCommandTests
{
    [Fact]
    public void Devices_lists_the_in_process_engine_with_its_workers()
    {
        var (code, stdout, stderr) = CliRunner.Run("devices");

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        foreach (var column in new[] { "KIND", "API", "ALGORITHMS", "QUEUES", "NUMA", "SVA", "WORKERS" })
            Assert.Contains(column, lines[0], StringComparison.Ordinal);
        var soft = Assert.Single(lines, l => l.StartsWith("soft-0 ", StringComparison.Ordinal));
        Assert.Contains("InProcess", soft, StringComparison.Ordinal);
        Assert.Contains("nop", soft, StringComparison.Ordinal);
        Assert.EndsWith(" " + Environment.ProcessorCount, soft.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Devices_json_is_an_array_that_lists_soft_0()
    {
        var (code, stdout, _) = CliRunner.Run("devices", "--json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        var soft = Assert.Single(doc.RootElement.EnumerateArray(), d => d.GetProperty("name").GetString() == "soft-0");
        Assert.Equal("InProcess", soft.GetProperty("kind").GetString());
        Assert.Equal("hisi_qm_v3", soft.GetProperty("api").GetString());
        Assert.Contains("gzip", soft.GetProperty("algorithms").EnumerateArray().Select(a => a.GetString()));
        Assert.True(soft.GetProperty("sva").GetBoolean());
        Assert.True(soft.GetProperty("available_queues").GetInt32() > 0);
        Assert.Equal(0, soft.GetProperty("numa_node").GetInt32());
        Assert.Equal(Environment.ProcessorCount, soft.GetProperty("workers").GetInt32());
    }

    [Fact]
    public void Devices_help_describes_the_command_and_exits_0()
    {
        var (code, stdout, _) = CliRunner.Run("devices", "--help");

        Assert.Equal(0, code);
        Assert.Contains("Usage: warpdrive devices", stdout, StringComparison.Ordinal);
        Assert.Contains("--json", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Devices_with_an_empty_sysfs_root_still_lists_the_in_process_engine()
    {
        var empty = Directory.CreateTempSubdirectory("warpdrive-sysfs-").FullName;
        try
        {
            var (code, stdout, _) = CliRunner.Run("devices", "--json", "--sysfs-root", empty, "--dev-root", empty);

            Assert.Equal(0, code);
            using var doc = JsonDocument.Parse(stdout);
            var device = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("soft-0", device.GetProperty("name").GetString());
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
