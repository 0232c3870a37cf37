namespace WarpDrive.Cli.Commands;

/// <summary>Writes rows as left-aligned columns; the first row is the header.</summary>
internal static class TextTable
{
    public static void Write(TextWriter writer, IReadOnlyList<string[]> rows, ISet<int>? rightAligned = null)
    {
        if (rows.Count == 0)
            return;
        int columns = rows.Max(r => r.Length);
        var widths = new int[columns];
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        }
        foreach (var row in rows)
        {
            var line = new System.Text.StringBuilder();
            for (int c = 0; c < row.Length; c++)
            {
                if (c > 0)
                    line.Append("  ");
                bool right = rightAligned?.Contains(c) == true;
                line.Append(right ? row[c].PadLeft(widths[c]) : c == row.Length - 1 ? row[c] : row[c].PadRight(widths[c]));
            }
            writer.WriteLine(line.ToString().TrimEnd());
        }
    }
}
