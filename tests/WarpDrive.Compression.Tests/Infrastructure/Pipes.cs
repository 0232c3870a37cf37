using System.IO.Pipelines;
using WarpDrive.Compression.Pipelines;

namespace WarpDrive.Compression.Tests.Infrastructure;

/// <summary>The pipe-side helpers the pipeline tests share.</summary>
internal static class Pipes
{
    /// <summary>The pipe format named like <see cref="Streams"/>' formats.</summary>
    public static WarpDrivePipeFormat Format(string format) => format switch
    {
        "gzip" => WarpDrivePipeFormat.GZip,
        "zlib" => WarpDrivePipeFormat.ZLib,
        _ => WarpDrivePipeFormat.Deflate,
    };

    /// <summary>Reads <paramref name="reader"/> to its end, then completes it.</summary>
    public static async Task<byte[]> DrainAsync(PipeReader reader)
    {
        var output = new MemoryStream();
        while (true)
        {
            var result = await reader.ReadAsync();
            foreach (var segment in result.Buffer)
                output.Write(segment.Span);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
                break;
        }
        await reader.CompleteAsync();
        return output.ToArray();
    }
}
