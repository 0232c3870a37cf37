using WarpDrive.Compression;

namespace WarpDrive.Cli.Benchmarks;

/// <summary>
/// The default benchmark corpus: real data every machine with the .NET SDK has. Text is the reference packs' XML
/// documentation (<c>packs/Microsoft.NETCore.App.Ref/*/ref/*/*.xml</c>, beside the runtime), binaries are the
/// runtime's own assemblies.
/// </summary>
public static class BenchmarkCorpus
{
    /// <summary>The files matching <paramref name="pattern"/> (<c>*.xml</c> or <c>*.dll</c>) in the SDK, in a stable order.</summary>
    public static IReadOnlyList<string> Files(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        string runtimeDir = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        var files = Directory.EnumerateFiles(runtimeDir, pattern).ToList();
        // runtime dir = <dotnet>/shared/Microsoft.NETCore.App/<version>; the reference packs sit under <dotnet>/packs.
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs");
        if (Directory.Exists(packs))
        {
            foreach (var pack in new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" })
            {
                var dir = Path.Combine(packs, pack);
                if (!Directory.Exists(dir))
                    continue;
                files.AddRange(Directory.EnumerateFiles(dir, pattern, SearchOption.AllDirectories));
            }
        }
        return files.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Reads up to <paramref name="limit"/> bytes of the files matching <paramref name="pattern"/>, concatenated.</summary>
    public static byte[] Load(string pattern, long limit)
    {
        using var buffer = new MemoryStream();
        foreach (var file in Files(pattern))
        {
            var bytes = File.ReadAllBytes(file);
            buffer.Write(bytes, 0, (int)Math.Min(bytes.Length, limit - buffer.Length));
            if (buffer.Length >= limit)
                break;
        }
        return buffer.ToArray();
    }
}
