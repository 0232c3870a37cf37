using System.Diagnostics;
using System.Text;
using WarpDrive.Cli.Gzip;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests.Tools;

/// <summary>gzip's -l, -r, -S and -n/-N, the input's mode kept, help on standard output and a progress line that fits.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GzipToolFeatureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wd-gzip-features-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Stdout, string Stderr) Gzip(GzipToolTerminal terminal, params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        int code = GzipTool.Run(args, new MemoryStream(), stdout, stderr, terminal);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Fact]
    public void List_prints_what_gzip_l_prints()
    {
        string a = Path.Combine(_dir, "a.txt"), b = Path.Combine(_dir, "b.txt");
        File.WriteAllBytes(a, Corpus.TextBytes(3_000_000));
        File.WriteAllBytes(b, Corpus.TextBytes(100));
        Assert.Equal(0, Gzip(GzipToolTerminal.None, a, b).Code);
        var (code, ours, _) = Gzip(GzipToolTerminal.None, "-l", a + ".gz", b + ".gz");
        Assert.Equal(0, code);
        var theirs = ProcessRunner.Run("gzip", $"-l {a}.gz {b}.gz", []);
        Assert.Equal(Encoding.UTF8.GetString(theirs.Output), ours);
    }

    [Fact]
    public void Recursive_compresses_a_tree_and_decompresses_it_back_keeping_modes()
    {
        string sub = Path.Combine(_dir, "tree", "sub");
        Directory.CreateDirectory(sub);
        string x = Path.Combine(_dir, "tree", "x"), y = Path.Combine(sub, "y");
        File.WriteAllBytes(x, Corpus.TextBytes(5000));
        File.WriteAllBytes(y, Corpus.TextBytes(7000, 100));
        File.SetUnixFileMode(x, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.Equal(0, Gzip(GzipToolTerminal.None, "-r", Path.Combine(_dir, "tree")).Code);
        Assert.True(File.Exists(x + ".gz") && File.Exists(y + ".gz") && !File.Exists(x) && !File.Exists(y));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(x + ".gz"));
        Assert.Equal(0, Gzip(GzipToolTerminal.None, "-dr", Path.Combine(_dir, "tree")).Code);
        Assert.Equal(Corpus.TextBytes(5000), File.ReadAllBytes(x));
        Assert.Equal(Corpus.TextBytes(7000, 100), File.ReadAllBytes(y));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(x));
    }

    [Fact]
    public void A_suffix_of_ones_own_is_written_and_read()
    {
        string a = Path.Combine(_dir, "a.txt");
        File.WriteAllBytes(a, Corpus.TextBytes(20_000));
        Assert.Equal(0, Gzip(GzipToolTerminal.None, "-k", "-S", ".z", a).Code);
        Assert.True(File.Exists(a + ".z"));
        File.Delete(a);
        Assert.Equal(0, Gzip(GzipToolTerminal.None, "-d", "--suffix=.z", a + ".z").Code);
        Assert.Equal(Corpus.TextBytes(20_000), File.ReadAllBytes(a));
        Assert.Equal(1, Gzip(GzipToolTerminal.None, "-S").Code);
    }

    [Fact]
    public void Help_goes_to_standard_output()
    {
        var (code, stdout, stderr) = Gzip(GzipToolTerminal.None, "--help");
        Assert.Equal(0, code);
        Assert.StartsWith("Usage: gzip", stdout, StringComparison.Ordinal);
        Assert.Empty(stderr);
    }

    [Fact]
    public void The_progress_line_fits_a_narrow_terminal()
    {
        string big = Path.Combine(_dir, "a-rather-long-file-name-for-a-narrow-terminal.bin");
        File.WriteAllBytes(big, Corpus.Mixed((int)GzipTool.ProgressThreshold));
        var (code, _, stderr) = Gzip(new GzipToolTerminal(false, true, 40), "-1k", big);
        Assert.Equal(0, code);
        var drawn = stderr.Split('\r', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Trim().Length > 0).ToList();
        Assert.NotEmpty(drawn);
        Assert.All(drawn, line => Assert.True(line.Length < 40, $"'{line}' is {line.Length} columns"));
    }

    [Fact]
    public void Names_and_times_are_stored_and_restored_as_gzip_does()
    {
        var time = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        string original = Path.Combine(_dir, "donn\u00e9es.txt");
        File.WriteAllBytes(original, Corpus.TextBytes(200_000));
        File.SetLastWriteTimeUtc(original, time);

        // Ours stores the name and time; gzip -dN restores both from a renamed file.
        Assert.Equal(0, Gzip(GzipToolTerminal.None, original).Code);
        File.Move(original + ".gz", Path.Combine(_dir, "renamed.gz"));
        Assert.Equal(0, ProcessRunner.Run("gzip", $"-dN {Path.Combine(_dir, "renamed.gz")}", []).ExitCode);
        Assert.Equal(Corpus.TextBytes(200_000), File.ReadAllBytes(original));
        Assert.Equal(time, File.GetLastWriteTimeUtc(original));

        // gzip stores them; ours restores both with -N, and by default only strips the suffix.
        Assert.Equal(0, ProcessRunner.Run("gzip", $"-k {original}", []).ExitCode);
        File.Copy(original + ".gz", Path.Combine(_dir, "other.gz"));
        File.Move(original + ".gz", Path.Combine(_dir, "again.gz"));
        File.Delete(original);
        Assert.Equal(0, Gzip(GzipToolTerminal.None, "-dN", Path.Combine(_dir, "again.gz")).Code);
        Assert.Equal(time, File.GetLastWriteTimeUtc(original));
        Assert.Equal(0, Gzip(GzipToolTerminal.None, "-d", Path.Combine(_dir, "other.gz")).Code);
        Assert.True(File.Exists(Path.Combine(_dir, "other")));

        // -n stores neither.
        Assert.Equal(0, Gzip(GzipToolTerminal.None, "-kn", original).Code);
        var header = File.ReadAllBytes(original + ".gz").AsSpan(0, 10);
        Assert.Equal(0, header[3] & 0x08);
        Assert.Equal(0u, BitConverter.ToUInt32(header[4..]));
    }
}
