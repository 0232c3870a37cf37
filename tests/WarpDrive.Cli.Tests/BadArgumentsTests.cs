namespace WarpDrive.Cli.Tests;

public class BadArgumentsTests
{
    [Theory]
    [InlineData(new string[0], "a command is required")]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "devices", "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "devices", "extra" }, "unexpected argument 'extra'")]
    [InlineData(new[] { "devices", "--json=yes" }, "takes no value")]
    [InlineData(new[] { "bench" }, "a benchmark is required")]
    [InlineData(new[] { "bench", "disk" }, "unknown benchmark 'disk'")]
    [InlineData(new[] { "bench", "queue", "--json" }, "option '--json' needs a value")]
    [InlineData(new[] { "bench", "queue", "--json", "--quick" }, "option '--json' needs a value")]
    [InlineData(new[] { "bench", "queue", "--quick", "--quick" }, "given twice")]
    [InlineData(new[] { "bench", "queue", "--runs", "many" }, "needs a whole number")]
    [InlineData(new[] { "bench", "queue", "--runs", "0" }, "must be 1..1000")]
    [InlineData(new[] { "bench", "queue", "--workers=0" }, "must be 1..256")]
    [InlineData(new[] { "bench", "queue", "--json", "/nonexistent-dir/x.json" }, "does not exist")]
    public void Bad_arguments_exit_2_with_a_message_on_stderr(string[] args, string message)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("--help' for usage", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("bench", "--help")]
    [InlineData("bench", "queue", "--help")]
    [InlineData("bench", "queue", "--quick", "-h")]
    [InlineData("devices", "-h")]
    public void Help_works_on_every_command(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("Usage: warpdrive", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_something()
    {
        var (code, stdout, _) = CliRunner.Run("--version");

        Assert.Equal(0, code);
        Assert.False(string.IsNullOrWhiteSpace(stdout));
    }
}
