namespace WarpDrive.Tests.Helpers;

/// <summary>Real bytes to compress: the SDK's own XML docs and assemblies, which every machine with .NET has.</summary>
internal static class Corpus
{
    private static readonly Lazy<byte[]> Text = new(() => Load("*.xml", 24 << 20));
    private static readonly Lazy<byte[]> Binary = new(() => Load("*.dll", 24 << 20));

    /// <summary><paramref name="length"/> bytes of text, repeating the corpus if it is shorter.</summary>
    public static byte[] TextBytes(int length, int offset = 0) => Slice(Text.Value, length, offset);

    /// <summary><paramref name="length"/> bytes of binaries.</summary>
    public static byte[] BinaryBytes(int length, int offset = 0) => Slice(Binary.Value, length, offset);

    /// <summary>Text and binary interleaved in 1 MiB runs: both kinds of data in one stream.</summary>
    public static byte[] Mixed(int length)
    {
        var result = new byte[length];
        for (int at = 0, i = 0; at < length; at += 1 << 20, i++)
        {
            int n = Math.Min(1 << 20, length - at);
            (i % 2 == 0 ? TextBytes(n, at) : BinaryBytes(n, at)).CopyTo(result.AsSpan(at));
        }
        return result;
    }

    private static byte[] Slice(byte[] all, int length, int offset)
    {
        var result = new byte[length];
        offset %= all.Length;
        for (int at = 0; at < length;)
        {
            int n = Math.Min(all.Length - offset, length - at);
            all.AsSpan(offset, n).CopyTo(result.AsSpan(at));
            at += n;
            offset = 0;
        }
        return result;
    }

    private static byte[] Load(string pattern, int limit)
    {
        using var buffer = new MemoryStream();
        foreach (var file in Files(pattern))
        {
            buffer.Write(File.ReadAllBytes(file));
            if (buffer.Length > limit)
                break;
        }
        if (buffer.Length == 0)
            buffer.Write(File.ReadAllBytes(typeof(object).Assembly.Location));
        return buffer.ToArray();
    }

    /// <summary>The runtime's files matching <paramref name="pattern"/>, then the reference packs' (where the XML docs are).</summary>
    private static List<string> Files(string pattern)
    {
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var files = Directory.EnumerateFiles(runtime, pattern).ToList();
        string packs = Path.GetFullPath(Path.Combine(runtime, "..", "..", "..", "packs"));
        foreach (var pack in new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" })
        {
            string dir = Path.Combine(packs, pack);
            if (Directory.Exists(dir))
                files.AddRange(Directory.EnumerateFiles(dir, pattern, SearchOption.AllDirectories));
        }
        return files.Order(StringComparer.Ordinal).ToList();
    }
}
