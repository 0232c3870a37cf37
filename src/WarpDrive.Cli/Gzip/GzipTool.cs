using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;

using WarpDrive.Compression;

namespace WarpDrive.Cli.Gzip;

/// <summary>Facts about the terminal that <see cref="GzipTool"/> cannot learn from plain streams.</summary>
/// <param name="StdoutIsTerminal">Standard output is a terminal: compressed data is not written there without <c>-f</c>.</param>
/// <param name="StderrIsTerminal">Standard error is a terminal: a progress bar is drawn for large inputs.</param>
/// <param name="Columns">The terminal's width, which the progress line fits.</param>
public sealed record GzipToolTerminal(bool StdoutIsTerminal, bool StderrIsTerminal, int Columns = 80)
{
    /// <summary>The process's own console, as <see cref="Console"/> reports its redirections and width.</summary>
    public static GzipToolTerminal FromConsole() => new(!Console.IsOutputRedirected, !Console.IsErrorRedirected, ConsoleColumns());

    private static int ConsoleColumns()
    {
        try
        {
            return Console.IsErrorRedirected ? 80 : Math.Max(20, Console.WindowWidth);
        }
        catch (IOException)
        {
            return 80;
        }
    }

    /// <summary>Neither is a terminal (tests, pipes).</summary>
    public static GzipToolTerminal None { get; } = new(false, false);
}

/// <summary>
/// <c>warpdrive gzip</c> / <c>gunzip</c>: gzip's everyday command line over <see cref="WarpDriveGZipStream"/>. Flags
/// <c>-c -d -k -f -t -l -r -q -v -S SUF -1..-9 --fast --best</c> (combinable, e.g. <c>-dc</c>), files, directories
/// (with <c>-r</c>) or standard input, and a progress line on standard error, fitted to the terminal, when it is a
/// terminal and the input is large. Outputs keep the input's mode and modification time; a temporary file is removed
/// on SIGINT and SIGTERM. Names and times are not stored in the header (gzip's <c>-n</c>; <c>-N</c> is accepted and
/// ignored). Exit status as gzip's: 0 success, 1 error, 2 warning.
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
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!endOfOptions && arg is "-S" or "--suffix")
            {
                if (i + 1 == args.Length || args[i + 1].Length == 0)
                {
                    stderr.WriteLine("gzip: option requires an argument -- 'S'");
                    return 1;
                }
                options.Suffix = args[++i];
                continue;
            }
            if (!endOfOptions && arg.StartsWith("--suffix=", StringComparison.Ordinal))
            {
                options.Suffix = arg["--suffix=".Length..];
                continue;
            }
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
            using var help = new StreamWriter(stdout, leaveOpen: true);
            help.WriteLine("Usage: gzip [-cdfklnNqrtv19] [-S SUF] [FILE]...   (gunzip = gzip -d)");
            help.WriteLine("  -c  write to standard output, keep files    -d  decompress    -k  keep input files");
            help.WriteLine("  -f  force: overwrite, write to a terminal     -t  test integrity -q/-v quiet/verbose");
            help.WriteLine("  -l  list compressed and uncompressed sizes    -r  recurse into directories");
            help.WriteLine("  -S SUF  use suffix SUF instead of .gz         -1 (--fast) .. -9 (--best)  level (default 6)");
            help.WriteLine("  -n  do not store (or restore) name and time   -N  store (restore with -d) name and time");
            return 0;
        }
        if (options.Suffix.Length == 0 || options.Suffix.Contains('/', StringComparison.Ordinal))
        {
            stderr.WriteLine($"gzip: invalid suffix '{options.Suffix}'");
            return 1;
        }
        if (files.Count == 0)
            files.Add("-");
        if (options.List)
            return List(options, files, stdin, stdout, stderr);
        int status = 0;
        foreach (var file in Expand(options, files, stderr, ref status))
            status = Math.Max(status, file == "-" ? RunStdin(options, stdin, stdout, stderr, terminal) : RunFile(options, file, stdout, stderr, terminal));
        return status;
    }

    /// <summary>With <c>-r</c>, a directory stands for the files under it that the operation applies to.</summary>
    private static List<string> Expand(Options options, List<string> files, TextWriter stderr, ref int status)
    {
        var expanded = new List<string>();
        foreach (var file in files)
        {
            if (!options.Recursive || !Directory.Exists(file))
            {
                expanded.Add(file);
                continue;
            }
            try
            {
                foreach (var inner in Directory.EnumerateFiles(file, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    // gzip -r compresses what is not yet compressed and decompresses what is.
                    if (options.Decompress == inner.EndsWith(options.Suffix, StringComparison.Ordinal) || options.Test)
                        expanded.Add(inner);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"gzip: {file}: {e.Message}");
                status = Math.Max(status, 1);
            }
        }
        return expanded;
    }

    /// <summary><c>-l</c>: sizes as gzip lists them, the uncompressed size from the (one) member's trailer.</summary>
    private static int List(Options options, List<string> files, Stream stdin, Stream stdout, TextWriter stderr)
    {
        using var output = new StreamWriter(stdout, leaveOpen: true);
        output.WriteLine("         compressed        uncompressed  ratio uncompressed_name");
        long totalIn = 0, totalOut = 0, lastOverhead = 0;
        int status = 0, listed = 0;
        foreach (var file in files)
        {
            try
            {
                using Stream input = file == "-" ? CopyOf(stdin) : File.OpenRead(file);
                long length = input.Length;
                var head = new byte[(int)Math.Min(length, 4096)];
                input.ReadExactly(head);
                int overhead = GzipHeaderFields.Parse(head).Length + 8;
                var tail = new byte[4];
                input.Position = length - 4;
                input.ReadExactly(tail);
                long size = BinaryPrimitives.ReadUInt32LittleEndian(tail);
                string name = file == "-" ? "stdout" : file.EndsWith(options.Suffix, StringComparison.Ordinal) ? file[..^options.Suffix.Length] : file;
                totalIn += length;
                totalOut += size;
                lastOverhead = overhead;
                listed++;
                output.WriteLine(ListLine(length, size, length - overhead, name));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                stderr.WriteLine($"gzip: {file}: {e.Message}");
                status = 1;
            }
        }
        if (listed > 1)
            output.WriteLine(ListLine(totalIn, totalOut, totalIn - lastOverhead, "(totals)")); // gzip's totals leave out one header
        return status;
    }

    private static MemoryStream CopyOf(Stream stdin)
    {
        var copy = new MemoryStream();
        stdin.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    /// <summary>One line of <c>-l</c>: the ratio counts the deflate data only, as gzip's does.</summary>
    private static string ListLine(long compressed, long uncompressed, long deflated, string name)
    {
        double ratio = uncompressed == 0 ? 0 : 1 - ((double)deflated / uncompressed);
        return string.Create(CultureInfo.InvariantCulture, $"{compressed,19} {uncompressed,19} {ratio * 100,5:F1}% {name}");
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
            var result = Process(options, stdin, options.Test ? Stream.Null : stdout, -1, stderr, terminal, "stdin", default);
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
        DateTimeOffset? restoredTime = null;
        if (!options.ToStdout && !options.Test)
        {
            if (options.Decompress)
            {
                target = path.EndsWith(options.Suffix, StringComparison.Ordinal) ? path[..^options.Suffix.Length]
                    : path.EndsWith(".tgz", StringComparison.Ordinal) ? path[..^4] + ".tar"
                    : null;
                if (target is null || target.Length == 0 || target.EndsWith('/'))
                {
                    stderr.WriteLine($"gzip: {path}: unknown suffix -- ignored");
                    return 2;
                }
                if (options.Name == true)
                {
                    // -N: the name and time the header stored, the name in the input's directory.
                    try
                    {
                        var fields = GzipHeaderFields.Read(path);
                        if (fields.SafeName is { } stored)
                            target = Path.Combine(Path.GetDirectoryName(path) ?? "", FileNameFromHeader(stored));
                        restoredTime = fields.ModificationTime;
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                    {
                        stderr.WriteLine($"gzip: {path}: {e.Message}");
                        return 1;
                    }
                }
            }
            else
            {
                if (path.EndsWith(options.Suffix, StringComparison.Ordinal) && !options.Force)
                {
                    stderr.WriteLine($"gzip: {path} already has {options.Suffix} suffix -- unchanged");
                    return 2;
                }
                target = path + options.Suffix;
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
        using var cleanup = temporary is null ? null : new TemporaryFileCleanup(temporary);
        try
        {
            long length = new FileInfo(path).Length;
            (long Read, long Written, bool TrailingGarbage) result;
            using (var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, Buffer))
            {
                if (temporary is null)
                {
                    result = Process(options, input, options.Test ? Stream.Null : stdout, length, stderr, terminal, path, StoredFields(options, path));
                    stdout.Flush();
                }
                else
                {
                    // Readable by the owner alone until it has the input's mode, as gzip does.
                    var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, BufferSize = Buffer };
                    if (!OperatingSystem.IsWindows())
                        create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                    using var output = new FileStream(temporary, create);
                    result = Process(options, input, output, length, stderr, terminal, path, StoredFields(options, path));
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
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
                File.SetLastWriteTimeUtc(temporary, restoredTime?.UtcDateTime ?? File.GetLastWriteTimeUtc(path));
                File.Move(temporary, target!, overwrite: true);
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

    /// <summary>What compressing <paramref name="path"/> stores in the header: its name and time unless <c>-n</c>, as gzip.</summary>
    private static (string? Name, DateTimeOffset? Time) StoredFields(Options options, string path) =>
        options.Decompress || options.Test || options.Name == false
            ? default
            : (FileNameForHeader(Path.GetFileName(path)), HeaderTime(File.GetLastWriteTimeUtc(path)));

    /// <summary>A time MTIME can hold (whole seconds, 1970 to 2106); none (0) otherwise, as gzip stores.</summary>
    private static DateTimeOffset? HeaderTime(DateTimeOffset time) =>
        time.ToUnixTimeSeconds() is > 0 and <= uint.MaxValue ? time : null;

    // gzip stores a name's bytes as the file system has them (UTF-8 here); the stream's FileName is ISO 8859-1 text,
    // one character per byte, so the bytes travel through it unchanged.
    private static string FileNameForHeader(string name) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(name));

    private static string FileNameFromHeader(string stored) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(stored));

    private static (long Read, long Written, bool TrailingGarbage) Process(Options options, Stream input, Stream output, long length, TextWriter stderr,
        GzipToolTerminal terminal, string name, (string? Name, DateTimeOffset? Time) stored)
    {
        using var progress = terminal.StderrIsTerminal && !options.Quiet && length >= ProgressThreshold ? new ProgressBar(stderr, length, name, terminal.Columns) : null;
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
            using (var gzip = new WarpDriveGZipStream(sink, options.Level, null, leaveOpen: true) { FileName = stored.Name, ModificationTime = stored.Time })
            {
                int n;
                while ((n = counting.Read(buffer)) > 0)
                {
                    gzip.Write(buffer, 0, n);
                    any = true;
                }
            }
            if (!any)
                sink.Write(EmptyMember(stored.Name, stored.Time)); // gzip of nothing is still a gzip file
        }
        return (counting.Total, sink.Total, false);
    }

    /// <summary>A gzip member holding nothing: header (with the name and time), an empty final block, CRC 0 and size 0.</summary>
    private static byte[] EmptyMember(string? fileName, DateTimeOffset? time)
    {
        var member = new List<byte> { 0x1f, 0x8b, 8, (byte)(fileName is null ? 0 : 0x08), 0, 0, 0, 0, 0, 3 };
        BinaryPrimitives.WriteUInt32LittleEndian(CollectionsMarshal.AsSpan(member)[4..], (uint)(time?.ToUnixTimeSeconds() ?? 0));
        if (fileName is not null)
            member.AddRange([.. Encoding.Latin1.GetBytes(fileName), 0]);
        member.AddRange([3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        return [.. member];
    }

    private sealed class Options
    {
        public bool Decompress, ToStdout, Keep, Force, Test, Quiet, Verbose, Help, List, Recursive;
        public bool? Name; // -N / -n; unset: store when compressing, do not restore when decompressing, as gzip
        public int Level = 6;
        public string Suffix = ".gz";

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
                    case "--list": List = true; return true;
                    case "--recursive": Recursive = true; return true;
                    case "--name": Name = true; return true;
                    case "--no-name": Name = false; return true;
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
                    case 'l': List = true; break;
                    case 'r': Recursive = true; break;
                    case 'N': Name = true; break;
                    case 'n': Name = false; break;
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

    /// <summary>
    /// Removes a temporary output if the process is interrupted (SIGINT, SIGTERM) while writing it, then lets the
    /// signal end the process as it would have.
    /// </summary>
    private sealed class TemporaryFileCleanup : IDisposable
    {
        private readonly PosixSignalRegistration[] _registrations;

        public TemporaryFileCleanup(string path)
        {
            _registrations = OperatingSystem.IsWindows()
                ? []
                : [PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Remove(path)), PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Remove(path))];
        }

        private static void Remove(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // Gone already, or not ours to remove: nothing to leave behind either way.
            }
        }

        public void Dispose()
        {
            foreach (var registration in _registrations)
                registration.Dispose();
        }
    }

    /// <summary>A one-line bar on standard error, fitted to the terminal's width, redrawn at most five times a second.</summary>
    private sealed class ProgressBar(TextWriter stderr, long length, string name, int columns) : IDisposable
    {
        // "NAME [####....] 100.0% 123456 MB/s": 22 columns of brackets and figures; the bar takes what the name leaves
        // (at least 5), the name is cut from the left when the line would not fit, and the line stops short of the
        // last column, so the terminal never wraps it.
        private const int Figures = 22;
        private readonly int _width = Math.Clamp(columns - 1 - Figures - name.Length, 5, 50);
        private string Name => name.Length <= columns - 1 - Figures - _width ? name : "…" + name[^Math.Max(1, columns - 2 - Figures - _width)..];
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _lastDraw = -1;

        public void Report(long done)
        {
            long now = _clock.ElapsedMilliseconds;
            if (_lastDraw >= 0 && now - _lastDraw < 200 && done < length)
                return;
            _lastDraw = now;
            double fraction = Math.Clamp((double)done / length, 0, 1);
            int filled = (int)(fraction * _width);
            double mbps = done / 1e6 / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
            stderr.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{Name} [{new string('#', filled)}{new string('.', _width - filled)}] {fraction * 100,5:F1}% {mbps,6:F0} MB/s"));
            stderr.Flush();
        }

        public void Dispose()
        {
            stderr.Write('\r');
            stderr.Write(new string(' ', Math.Max(0, columns - 1)));
            stderr.Write('\r');
            stderr.Flush();
        }
    }
}
