using WarpDrive.Compression.Tests.Infrastructure;
using WarpDrive.Tests.Helpers;

namespace WarpDrive.Compression.Tests.Tools;

/// <summary><c>gzip -l</c> reads the uncompressed size from the last trailer: right only for one member per file.</summary>
public sealed class GzipListInteropTests
{
    [Theory]
    [InlineData("stream")]
    [InlineData("oneshot")]
    public void Gzip_l_reports_the_whole_uncompressed_size(string api)
    {
        var input = Corpus.TextBytes(10 << 20);
        byte[] gzip;
        if (api == "stream")
        {
            gzip = Streams.Compress("gzip", input, 6);
        }
        else
        {
            var buffer = new byte[WarpDriveGZipEncoder.GetMaxCompressedLength(input.Length)];
            Assert.True(WarpDriveGZipEncoder.TryCompress(input, buffer, out int written, 6));
            gzip = buffer.AsSpan(0, written).ToArray();
        }
        var file = Path.GetTempFileName() + ".gz";
        try
        {
            File.WriteAllBytes(file, gzip);
            var (output, error, code) = ProcessRunner.Run("gzip", $"-l {file}", []);
            Assert.True(code == 0, error);
            // "compressed uncompressed ratio name" on the second line.
            var fields = System.Text.Encoding.ASCII.GetString(output).Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(gzip.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[0]);
            Assert.Equal(input.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), fields[1]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
