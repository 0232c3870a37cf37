using WarpDrive.Cli.Gzip;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests.Tools;

/// <summary>
/// The tool's exit status matches the real gzip's on the same files: trailing garbage (2, a warning), empty input,
/// corrupt and truncated input (1), missing files (1), directories (2), outputs that already exist (2).
/// </summary>
public sealed class GzipExitCodeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wd-gzip-exit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> Cases() => new()
    {
        { "trailing-garbage", "-t" },
        { "trailing-garbage", "-dc" },
        { "trailing-garbage", "-d" },
        { "empty", "-t" },
        { "empty", "-dc" },
        { "corrupt", "-t" },
        { "truncated", "-t" },
        { "missing", "-t" },
        { "directory", "-d" },
        { "output-exists", "-d" },
        { "good", "-t" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_exit_status_is_gzips(string input, string flags)
    {
        int theirs = Status(input, flags, real: true);
        int ours = Status(input, flags, real: false);
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Empty_standard_input_is_an_error_as_for_gzip()
    {
        var stderr = new StringWriter();
        Assert.Equal(1, GzipTool.RunGunzip(["-c"], new MemoryStream(), new MemoryStream(), stderr));
        Assert.Contains("unexpected end of file", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, ProcessRunner.Run("gzip", "-dc", []).ExitCode);
    }

    /// <summary>Lays the case out in a fresh folder and runs either gzip or the tool on it.</summary>
    private int Status(string input, string flags, bool real)
    {
        string dir = Path.Combine(_dir, (real ? "gzip-" : "wd-") + input + flags);
        Directory.CreateDirectory(dir);
        var body = Corpus.TextBytes(200_000);
        var gzip = Streams.CompressWithDotNet("gzip", body);
        string file = Path.Combine(dir, "x.gz");
        switch (input)
        {
            case "trailing-garbage":
                File.WriteAllBytes(file, [.. gzip, .. "garbage"u8]);
                break;
            case "empty":
                File.WriteAllBytes(file, []);
                break;
            case "corrupt":
                var corrupt = gzip.ToArray();
                corrupt[corrupt.Length / 2] ^= 0x55;
                File.WriteAllBytes(file, corrupt);
                break;
            case "truncated":
                File.WriteAllBytes(file, gzip.AsSpan(0, gzip.Length / 2).ToArray());
                break;
            case "missing":
                break;
            case "directory":
                Directory.CreateDirectory(file);
                break;
            case "output-exists":
                File.WriteAllBytes(file, gzip);
                File.WriteAllBytes(Path.Combine(dir, "x"), [1]);
                break;
            default:
                File.WriteAllBytes(file, gzip);
                break;
        }
        if (real)
            return ProcessRunner.Run("gzip", $"{flags} {file}", []).ExitCode;
        var args = flags.TrimStart('-').Select(c => "-" + c).Append(file).ToArray();
        return GzipTool.Run(args, new MemoryStream(), new MemoryStream(), new StringWriter(), GzipToolTerminal.None);
    }
}
