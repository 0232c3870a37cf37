using System.Buffers.Binary;
using System.Text;

namespace WarpDrive.Cli.Gzip;

/// <summary>
/// What the gzip command reads from a member header without decompressing: its length (which <c>-l</c> leaves out of
/// the ratio), the stored file name (FNAME) and time (MTIME) that <c>-N</c> restores.
/// </summary>
internal readonly record struct GzipHeaderFields(int Length, string? Name, DateTimeOffset? ModificationTime)
{
    private const byte FlagHcrc = 0x02, FlagExtra = 0x04, FlagName = 0x08, FlagComment = 0x10;

    /// <summary>Parses the header at the start of <paramref name="head"/> (a prefix of the file).</summary>
    /// <exception cref="InvalidDataException">Not a gzip header, or one longer than <paramref name="head"/>.</exception>
    public static GzipHeaderFields Parse(ReadOnlySpan<byte> head)
    {
        if (head.Length < 18 || head[0] != 0x1f || head[1] != 0x8b)
            throw new InvalidDataException("not in gzip format");
        byte flags = head[3];
        uint seconds = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
        int at = 10;
        if ((flags & FlagExtra) != 0)
            at += 2 + BinaryPrimitives.ReadUInt16LittleEndian(head[at..]);
        string? name = null;
        if ((flags & FlagName) != 0)
        {
            int end = TextEnd(head, at);
            name = Encoding.Latin1.GetString(head[at..end]);
            at = end + 1;
        }
        if ((flags & FlagComment) != 0)
            at = TextEnd(head, at) + 1;
        if ((flags & FlagHcrc) != 0)
            at += 2;
        if (at > head.Length)
            throw new InvalidDataException("the gzip header is longer than expected");
        return new GzipHeaderFields(at, name, seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    /// <summary>Reads the header of the gzip file at <paramref name="path"/>.</summary>
    public static GzipHeaderFields Read(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[(int)Math.Min(file.Length, 64 * 1024)];
        file.ReadExactly(head);
        return Parse(head);
    }

    /// <summary>The stored name as a file name in the output's directory: its last path component only, as gzip takes it.</summary>
    public string? SafeName => Path.GetFileName(Name) is { Length: > 0 } name && name is not ("." or "..") ? name : null;

    private static int TextEnd(ReadOnlySpan<byte> head, int at)
    {
        int end = at < head.Length ? head[at..].IndexOf((byte)0) : -1;
        return end < 0 ? throw new InvalidDataException("the gzip header is longer than expected") : at + end;
    }
}
