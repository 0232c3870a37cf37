using WarpDrive.Cli.Gzip;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests.Tools;

/// <summary>The gzip tool behaves like gzip for everyday flags, and its files are read by the gzip command.</summary>
public sealed class GzipToolTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wd-gzip-").FullName;
    private static readonly byte[] Data = Corpus.Mixed(2_500_000);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, byte[] Stdout, string Stderr) Gzip(byte[] stdin, params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        int code = GzipTool.Run(args, new MemoryStream(stdin), stdout, stderr, GzipToolTerminal.None);
        return (code, stdout.ToArray(), stderr.ToString());
    }

    [Fact]
    public void Files_are_compressed_in_place_and_back_with_keep_and_force()
    {
        string path = Path.Combine(_dir, "a.bin");
        File.WriteAllBytes(path, Data);
        Assert.Equal(0, Gzip([], "-5", path).Code);
        Assert.False(File.Exists(path));
        Assert.True(File.Exists(path + ".gz"));
        var (output, error, code) = ProcessRunner.Run("gzip", "-dc", File.ReadAllBytes(path + ".gz"));
        Assert.True(code == 0, error);
        Assert.Equal(Data, output);

        Assert.Equal(0, Gzip([], "-dk", path + ".gz").Code);
        Assert.Equal(Data, File.ReadAllBytes(path));
        Assert.True(File.Exists(path + ".gz"));
        Assert.Equal(2, Gzip([], "-d", path + ".gz").Code); // a.bin exists: not overwritten
        Assert.Equal(0, Gzip([], "-df", path + ".gz").Code);
        Assert.False(File.Exists(path + ".gz"));
    }

    [Fact]
    public void Stdin_to_stdout_both_ways_and_several_files_to_stdout()
    {
        var (code, compressed, _) = Gzip(Data, "-1");
        Assert.Equal(0, code);
        Assert.Equal(Data, Gzip(compressed, "-d").Stdout);
        Assert.Equal(Data, Streams.DecompressWithDotNet("gzip", compressed));
        Assert.Equal(0, GzipTool.RunGunzip(["-c"], new MemoryStream(compressed), new MemoryStream(), TextWriter.Null));

        string a = Path.Combine(_dir, "x"), b = Path.Combine(_dir, "y");
        File.WriteAllBytes(a, Data.AsSpan(0, 1000).ToArray());
        File.WriteAllBytes(b, Data.AsSpan(1000).ToArray());
        var both = Gzip([], "-c", a, b);
        Assert.Equal(0, both.Code);
        Assert.True(File.Exists(a) && File.Exists(b));
        Assert.Equal(Data, Gzip(both.Stdout, "-d").Stdout);
    }

    [Fact]
    public void Empty_input_makes_a_valid_empty_gzip_file()
    {
        var (code, compressed, _) = Gzip([]);
        Assert.Equal(0, code);
        Assert.Equal(20, compressed.Length);
        var (output, _, gzCode) = ProcessRunner.Run("gzip", "-dc", compressed);
        Assert.Equal(0, gzCode);
        Assert.Empty(output);
        Assert.Empty(Gzip(compressed, "-d").Stdout);
    }

    [Fact]
    public void Bad_input_and_bad_usage_fail_with_gzip_exit_codes()
    {
        Assert.Equal(1, Gzip([1, 2, 3, 4, 5], "-d").Code);
        Assert.Equal(1, Gzip([], "-x").Code);
        Assert.Equal(1, Gzip([], Path.Combine(_dir, "missing")).Code);
        string plain = Path.Combine(_dir, "plain.txt");
        File.WriteAllText(plain, "hello");
        Assert.Equal(2, Gzip([], "-d", plain).Code); // unknown suffix
        var corrupt = Streams.Compress("gzip", Data);
        corrupt[corrupt.Length / 2] ^= 0x10;
        Assert.Equal(1, Gzip(corrupt, "-t").Code);
        Assert.Equal(0, Gzip(Streams.Compress("gzip", Data), "-t").Code);
    }

    [Fact]
    public void A_terminal_gets_no_compressed_data_and_a_progress_bar_for_large_input()
    {
        var stderr = new StringWriter();
        Assert.Equal(1, GzipTool.Run([], new MemoryStream(Data), new MemoryStream(), stderr, new GzipToolTerminal(true, false)));
        Assert.Contains("terminal", stderr.ToString(), StringComparison.Ordinal);

        string big = Path.Combine(_dir, "big");
        File.WriteAllBytes(big, Corpus.Mixed((int)GzipTool.ProgressThreshold));
        stderr = new StringWriter();
        Assert.Equal(0, GzipTool.Run(["-1k", big], Stream.Null, Stream.Null, stderr, new GzipToolTerminal(false, true)));
        Assert.Contains("100.0%", stderr.ToString(), StringComparison.Ordinal);
    }
}
