using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;

using WarpDrive.Compression;

namespace WarpDrive.Cli.Gzip;

/// <summary>Facts about the terminal that <see cref="GzipTool"/> cannot learn from plain streams.</summary>
/// <param name="StdoutIsTerminal">Standard output is a terminal: compressed data is not written there without <c>-f</c>.</param>
/// <param name="StderrIsTerminal">Standard error is a terminal: a progress bar is drawn for large inputs.</param>
public sealed record GzipToolTerminal(bool StdoutIsTerminal, bool StderrIsTerminal)
{
    /// <summary>The process's own console, as <see cref="Console"/> reports its redirections.</summary>
    public static GzipToolTerminal FromConsole() => new(!Console.IsOutputRedirected, !Console.IsErrorRedirected);

    /// <summary>Neither is a terminal (tests, pipes).</summary>
    public static GzipToolTerminal None { get; } = new(false, false);
}

/// <summary>
/// <c>warpdrive gzip</c> / <c>gunzip</c>: gzip's everyday command line over <see cref="WarpDriveGZipStream"/>. Flags
/// <c>-c -d -k -f -t -q -v -1..-9 --fast --best</c> (combinable, e.g. <c>-dc</c>), files or standard input, and a
/// progress bar on standard error when it is a terminal and the input is large. Exit status as gzip's: 0 success,
/// 1 error, 2 warning.
/// </summary>
public static class GzipTool
{
    /// <summary>Inputs at least this large get a progress bar (when standard error is a terminal).</summary>
    public const long ProgressThreshold = 64L << 20;

    private const int Buffer = 1 << 20;

    /// <summary>Runs <c>gzip</c> with <paramref name="args"/>, checking the process console for terminals.</summary>
    public static int Run(string[] args, Stream stdin, Stream stdout, TextWriter stderr) =>
        Run(args, stdin, stdout, stderr, GzipToolTerminal.FromConsole());

    /// <summary>Runs <c>gunzip</c> (gzip <c>-d</c>) with <paramref name="args"/>.</summary>
    public static int RunGunzip(string[] args, Stream stdin, Stream stdout, TextWriter stderr) =>
        Run(["-d", .. args ?? []], stdin, stdout, stderr, GzipToolTerminal.FromConsole());

    /// <summary>Runs <c>gzip</c> with <paramref name="args"/> and explicit terminal facts.</summary>
    public static int Run(string[] args, Stream stdin, Stream stdout, TextWriter stderr, GzipToolTerminal terminal)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(terminal);
        var options = new Options();
        var files = new List<string>();
        bool endOfOptions = false;
        foreach (var arg in args)
        {
            if (endOfOptions || arg == "-" || !arg.StartsWith('-'))
            {
                files.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                endOfOptions = true;
                continue;
            }
            if (!options.Parse(arg, out string? problem))
            {
                stderr.WriteLine($"gzip: {problem}");
                stderr.WriteLine("Try 'gzip --help' for more information.");
                return 1;
            }
        }
        if (options.Help)
        {
            stderr.WriteLine("Usage: gzip [-cdfkqtv19] [FILE]...   (gunzip = gzip -d)");
            stderr.WriteLine("  -c  write to standard output, keep files    -d  decompress    -k  keep input files");
            stderr.WriteLine("  -f  force: overwrite, write to a terminal     -t  test integrity -q/-v quiet/verbose");
            stderr.WriteLine("  -1 (--fast) .. -9 (--best)  compression level (default 6)");
            return 0;
        }
        if (files.Count == 0)
            files.Add("-");
        int status = 0;
        foreach (var file in files)
            status = Math.Max(status, file == "-" ? RunStdin(options, stdin, stdout, stderr, terminal) : RunFile(options, file, stdout, stderr, terminal));
        return status;
    }

    private static int RunStdin(Options options, Stream stdin, Stream stdout, TextWriter stderr, GzipToolTerminal terminal)
    {
        if (!options.Decompress && !options.Test && terminal.StdoutIsTerminal && !options.Force)
        {
            stderr.WriteLine("gzip: compressed data not written to a terminal. Use -f to force compression.");
            return 1;
        }
        try
        {
            var result = Process(options, stdin, options.Test ? Stream.Null : stdout, -1, stderr, terminal, "stdin");
            stdout.Flush();
            return TrailingGarbageWarning(result, "stdin", stderr);
        }
        catch (InvalidDataException e)
        {
            stderr.WriteLine($"gzip: stdin: {e.Message}");
            return 1;
        }
    }

    private static int RunFile(Options options, string path, Stream stdout, TextWriter stderr, GzipToolTerminal terminal)
    {
        if (Directory.Exists(path))
        {
            stderr.WriteLine($"gzip: {path} is a directory -- ignored");
            return 2;
        }
        if (!File.Exists(path))
        {
            stderr.WriteLine($"gzip: {path}: No such file or directory");
            return 1;
        }
        string? target = null;
        if (!options.ToStdout && !options.Test)
        {
            if (options.Decompress)
            {
                target = path.EndsWith(".gz", StringComparison.Ordinal) ? path[..^3]
                    : path.EndsWith(".tgz", StringComparison.Ordinal) ? path[..^4] + ".tar"
                    : null;
                if (target is null || target.Length == 0 || target.EndsWith('/'))
                {
                    stderr.WriteLine($"gzip: {path}: unknown suffix -- ignored");
                    return 2;
                }
            }
            else
            {
                if (path.EndsWith(".gz", StringComparison.Ordinal) && !options.Force)
                {
                    stderr.WriteLine($"gzip: {path} already has .gz suffix -- unchanged");
                    return 2;
                }
                target = path + ".gz";
            }
            if (File.Exists(target) && !options.Force)
            {
                stderr.WriteLine($"gzip: {target} already exists; not overwritten");
                return 2;
            }
        }
        else if (options.ToStdout && !options.Decompress && !options.Test && terminal.StdoutIsTerminal && !options.Force)
        {
            stderr.WriteLine("gzip: compressed data not written to a terminal. Use -f to force compression.");
            return 1;
        }
        string? temporary = target is null ? null : target + ".wdtmp";
        try
        {
            long length = new FileInfo(path).Length;
            (long Read, long Written, bool TrailingGarbage) result;
            using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, Buffer))
            {
                if (temporary is null)
                {
                    result = Process(options, input, options.Test ? Stream.Null : stdout, length, stderr, terminal, path);
                    stdout.Flush();
                }
                else
                {
                    using var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, Buffer);
                    result = Process(options, input, output, length, stderr, terminal, path);
                    var (read, written, _) = result;
                    if (options.Verbose)
                    {
                        double saved = options.Decompress ? 1 - ((double)read / Math.Max(1, written)) : 1 - ((double)written / Math.Max(1, read));
                        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}:\t{saved * 100:F1}% -- replaced with {target}"));
                    }
                }
            }
            if (temporary is not null)
            {
                File.Move(temporary, target!, overwrite: true);
                File.SetLastWriteTimeUtc(target!, File.GetLastWriteTimeUtc(path));
                if (!options.Keep)
                    File.Delete(path);
            }
            return TrailingGarbageWarning(result, path, stderr);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            if (temporary is not null)
                File.Delete(temporary);
            stderr.WriteLine($"gzip: {path}: {e.Message}");
            return 1;
        }
    }

    /// <summary>gzip's warning and exit status 2 for bytes after the last member; 0 otherwise.</summary>
    private static int TrailingGarbageWarning((long Read, long Written, bool TrailingGarbage) result, string name, TextWriter stderr)
    {
        if (!result.TrailingGarbage)
            return 0;
        stderr.WriteLine($"gzip: {name}: decompression OK, trailing garbage ignored");
        return 2;
    }

    private static (long Read, long Written, bool TrailingGarbage) Process(Options options, Stream input, Stream output, long length, TextWriter stderr, GzipToolTerminal terminal, string name)
    {
        using var progress = terminal.StderrIsTerminal && !options.Quiet && length >= ProgressThreshold ? new ProgressBar(stderr, length, name) : null;
        var counting = new CountingStream(input, progress);
        var sink = new CountingStream(output, null);
        var buffer = new byte[Buffer];
        if (options.Decompress || options.Test)
        {
            using var gzip = new WarpDriveGZipStream(counting, CompressionMode.Decompress, leaveOpen: true);
            gzip.CopyTo(sink, Buffer);
            // An empty input is no gzip file (GZipStream reads it as empty data; gzip does not).
            if (counting.Total == 0)
                throw new InvalidDataException("unexpected end of file");
            return (counting.Total, sink.Total, gzip.IgnoredTrailingData);
        }
        else
        {
            bool any = false;
            using (var gzip = new WarpDriveGZipStream(sink, options.Level, null, leaveOpen: true))
            {
                int n;
                while ((n = counting.Read(buffer)) > 0)
                {
                    gzip.Write(buffer, 0, n);
                    any = true;
                }
            }
            if (!any)
                sink.Write(EmptyMember); // gzip of nothing is still a gzip file
        }
        return (counting.Total, sink.Total, false);
    }

    // A gzip member holding nothing: header, an empty final block, CRC 0 and size 0.
    private static readonly byte[] EmptyMember = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private sealed class Options
    {
        public bool Decompress, ToStdout, Keep, Force, Test, Quiet, Verbose, Help;
        public int Level = 6;

        public bool Parse(string arg, out string? problem)
        {
            problem = null;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                switch (arg)
                {
                    case "--stdout" or "--to-stdout": ToStdout = true; return true;
                    case "--decompress" or "--uncompress": Decompress = true; return true;
                    case "--keep": Keep = true; return true;
                    case "--force": Force = true; return true;
                    case "--test": Test = true; return true;
                    case "--quiet": Quiet = true; return true;
                    case "--verbose": Verbose = true; return true;
                    case "--fast": Level = 1; return true;
                    case "--best": Level = 9; return true;
                    case "--help": Help = true; return true;
                    default: problem = $"unrecognized option '{arg}'"; return false;
                }
            }
            foreach (char c in arg.AsSpan(1))
            {
                switch (c)
                {
                    case 'c': ToStdout = true; break;
                    case 'd': Decompress = true; break;
                    case 'k': Keep = true; break;
                    case 'f': Force = true; break;
                    case 't': Test = true; break;
                    case 'q': Quiet = true; break;
                    case 'v': Verbose = true; break;
                    case 'h': Help = true; break;
                    case 'n' or 'N': break; // names and times are not stored: always as -n
                    case >= '1' and <= '9': Level = c - '0'; break;
                    default: problem = $"invalid option -- '{c}'"; return false;
                }
            }
            return true;
        }
    }

    /// <summary>A pass-through that counts bytes and tells the progress bar.</summary>
    private sealed class CountingStream(Stream inner, ProgressBar? progress) : Stream
    {
        public long Total { get; private set; }
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Total; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            Total += n;
            progress?.Report(Total);
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Total += buffer.Length;
        }
    }

    /// <summary>A one-line bar on standard error, redrawn at most five times a second.</summary>
    private sealed class ProgressBar(TextWriter stderr, long length, string name) : IDisposable
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastDraw = -1;

        public void Report(long done)
        {
            long now = _clock.ElapsedMilliseconds;
            if (_lastDraw >= 0 && now - _lastDraw < 200 && done < length)
                return;
            _lastDraw = now;
            double fraction = Math.Clamp((double)done / length, 0, 1);
            int filled = (int)(fraction * 30);
            double mbps = done / 1e6 / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            stderr.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{name} [{new string('#', filled)}{new string('.', 30 - filled)}] {fraction * 100,5:F1}% {mbps,7:F0} MB/s"));
            stderr.Flush();
        }

        public void Dispose()
        {
            stderr.Write('\r');
            stderr.Write(new string(' ', name.Length + 60));
            stderr.Write('\r');
            stderr.Flush();
        }
    }
}
