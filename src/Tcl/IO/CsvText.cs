using System.Text;

namespace Tcl.IO;

/// <summary>The bits of RFC 4180 CSV our result tables need: quoting a cell on write, splitting a line on read.</summary>
public static class CsvText
{
    /// <summary>The cell as written: quoted (inner quotes doubled) when it holds a comma or a quote.</summary>
    public static string Quote(string cell) => cell.Contains(',') || cell.Contains('"') ? $"\"{cell.Replace("\"", "\"\"")}\"" : cell;

    /// <summary>The cells of one line (quoted cells may hold commas and doubled quotes, not line breaks).</summary>
    public static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cell.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
