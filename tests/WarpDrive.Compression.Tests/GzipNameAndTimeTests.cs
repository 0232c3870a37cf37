using System.Diagnostics;
using System.IO.Compression;
using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests;

/// <summary>
/// The gzip header's FNAME and MTIME: written by <see cref="WarpDriveGZipStream"/> where gzip puts them (single- and
/// multi-member output, every reader still decoding it), read back by WarpDrive and by the gzip command's <c>-N</c>.
/// </summary>
public sealed class GzipNameAndTimeTests
{
    private static readonly DateTimeOffset Time = new(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);

    public static TheoryData<int, bool> Shapes => new()
    {
        { 100, false },                 // one chunk: plain header
        { 3_000_000, false },           // marked independent blocks
        { 3_000_000, true },            // multi-member, indexed: the first member's length counts the name
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Name_and_time_go_in_the_first_header_and_every_reader_decodes_the_data(int length, bool multiMember)
    {
        var data = Corpus.TextBytes(length);
        var options = new WarpDriveCompressionOptions { ChunkSize = 256 * 1024, IndependentBlockSize = 1 << 20, GzipMultiMember = multiMember };
        var output = new MemoryStream();
        using (var gzip = new WarpDriveGZipStream(output, CompressionLevel.Optimal, options, leaveOpen: true) { FileName = "caf\u00e9.txt", ModificationTime = Time })
            gzip.Write(data);
        var compressed = output.ToArray();
        Assert.Equal(0x08, compressed[3] & 0x08);
        Assert.Equal(Time.ToUnixTimeSeconds(), BitConverter.ToUInt32(compressed, 4));

        Assert.Equal(data, Streams.DecompressWithDotNet("gzip", compressed));
        using var reader = new WarpDriveGZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        Assert.Null(reader.FileName);
        var back = new MemoryStream();
        reader.CopyTo(back);
        Assert.Equal(data, back.ToArray());
        Assert.Equal("caf\u00e9.txt", reader.FileName);
        Assert.Equal(Time, reader.ModificationTime);
        if (length > options.IndependentBlockSize)
            Assert.Equal(3, reader.ReaderStatistics.JobsServed); // every block or member, the named first one too

        var listed = Run("gzip", "-lvN", compressed);
        Assert.Contains("caf", listed, StringComparison.Ordinal);
        Assert.Contains("Feb  3", listed, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_name_or_time_the_header_is_as_before()
    {
        var compressed = Streams.Compress("gzip", Corpus.TextBytes(1000));
        Assert.Equal(0, compressed[3] & 0x08);
        Assert.Equal(0u, BitConverter.ToUInt32(compressed, 4));
        using var reader = new WarpDriveGZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        reader.CopyTo(Stream.Null);
        Assert.Null(reader.FileName);
        Assert.Null(reader.ModificationTime);
    }

    [Fact]
    public void Bad_names_times_and_late_settings_are_refused()
    {
        using var gzip = new WarpDriveGZipStream(new MemoryStream(), CompressionLevel.Fastest);
        Assert.Throws<ArgumentException>(() => gzip.FileName = "a\0b");
        Assert.Throws<ArgumentException>(() => gzip.FileName = "\u20ac.txt");
        Assert.Throws<ArgumentOutOfRangeException>(() => gzip.ModificationTime = new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero));
        gzip.WriteByte(1);
        Assert.Throws<InvalidOperationException>(() => gzip.FileName = "late");
        Assert.Throws<InvalidOperationException>(() => gzip.ModificationTime = Time);
        using var reader = new WarpDriveGZipStream(new MemoryStream(Streams.Compress("gzip", [1, 2, 3])), CompressionMode.Decompress);
        Assert.Throws<InvalidOperationException>(() => reader.FileName = "x");
    }

    private static string Run(string command, string arguments, byte[] input)
    {
        string file = Path.Combine(Path.GetTempPath(), $"wd-fname-{Guid.NewGuid():N}.gz");
        File.WriteAllBytes(file, input);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, $"{arguments} {file}") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            return output;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
