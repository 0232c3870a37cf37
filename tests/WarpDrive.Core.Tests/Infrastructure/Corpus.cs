namespace WarpDrive.Tests.Infrastructure;

/// <summary>Real bytes to compress: the SDK's own XML docs and assemblies, which every machine with .NET has.</summary>
internal static class Corpus
{
    private static readonly Lazy<byte[]> Text = new(() => Load("*.xml"));
    private static readonly Lazy<byte[]> Binary = new(() => Load("*.dll"));

    public static byte[] TextBytes(int length) => Slice(Text.Value, length);

    public static byte[] BinaryBytes(int length) => Slice(Binary.Value, length);

    private static byte[] Slice(byte[] all, int length)
    {
        var result = new byte[length];
        for (int at = 0; at < length; at += all.Length)
            all.AsSpan(0, Math.Min(all.Length, length - at)).CopyTo(result.AsSpan(at));
        return result;
    }

    private static byte[] Load(string pattern)
    {
        string root = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        using var buffer = new MemoryStream();
        foreach (var file in Directory.EnumerateFiles(root, pattern).Order(StringComparer.Ordinal))
        {
            buffer.Write(File.ReadAllBytes(file));
            if (buffer.Length > 8 << 20)
                break;
        }
        if (buffer.Length == 0)
            buffer.Write(File.ReadAllBytes(typeof(object).Assembly.Location));
        return buffer.ToArray();
    }
}
