using System.Globalization;
using System.Text;
using Tcl.IO;

namespace Tcl.Evaluation.Metrics;

/// <summary>
/// CSV form of <see cref="SegmentationScores"/>, one row per class (tidy: the settings repeat on every row, so tables
/// of several datasets or protocols concatenate), then a <c>mean</c> row with mIoU, mAcc and the summed areas (aAcc is
/// their Σ intersection / Σ label area). Doubles use round-trip formatting and <c>NaN</c>; names are quoted as
/// RFC 4180 requires (names with line breaks are not supported). Reading takes the class rows and recomputes every score from the totals, so a round trip is
/// exact. Files are written atomically.
/// </summary>
public static class SegmentationScoresCsv
{
    /// <summary>The column header.</summary>
    public const string Header = "index,class,IoU,Acc,area_intersect,area_union,area_pred_label,area_label,images,reduce_zero_label,ignore_index";

    /// <summary>The scores as CSV text.</summary>
    public static string Serialize(SegmentationScores scores)
    {
        var sb = new StringBuilder(Header).Append('\n');
        var t = scores.Totals;
        string settings = string.Create(CultureInfo.InvariantCulture, $"{scores.ImageCount},{(scores.ReduceZeroLabel ? "true" : "false")},{scores.IgnoreIndex}");
        for (int c = 0; c < scores.NumClasses; c++)
            sb.Append(CultureInfo.InvariantCulture, $"{c},{Quote(scores.ClassNames[c])},{D(scores.IoU[c])},{D(scores.Acc[c])},")
              .Append(CultureInfo.InvariantCulture, $"{t.Intersect[c]},{t.Union[c]},{t.PredLabel[c]},{t.Label[c]},{settings}\n");
        sb.Append(CultureInfo.InvariantCulture, $",mean,{D(scores.MeanIoU)},{D(scores.MeanAcc)},")
          .Append(CultureInfo.InvariantCulture, $"{t.Intersect.Sum()},{t.Union.Sum()},{t.PredLabel.Sum()},{t.Label.Sum()},{settings}\n");
        return sb.ToString();
    }

    /// <summary>Writes <paramref name="scores"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, SegmentationScores scores) => AtomicFile.WriteText(path, Serialize(scores));

    /// <summary>Reads a file written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not in this layout; the message names it and the line.</exception>
    public static SegmentationScores Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header)
            throw new InvalidDataException($"'{path}' is not a segmentation scores CSV (expected the header '{Header}').");
        var names = new List<string>();
        var inter = new List<long>(); var union = new List<long>(); var pred = new List<long>(); var label = new List<long>();
        int images = 0, ignore = 255;
        bool rzl = false;
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = Split(lines[i]);
            if (f.Count != 11)
                throw new InvalidDataException($"'{path}' line {i + 1}: expected 11 fields, found {f.Count}.");
            if (f[0].Length == 0) continue; // the mean row: derived, not read back
            try
            {
                if (int.Parse(f[0], CultureInfo.InvariantCulture) != names.Count)
                    throw new InvalidDataException($"'{path}' line {i + 1}: class index {f[0]} out of order (expected {names.Count}).");
                names.Add(f[1]);
                inter.Add(long.Parse(f[4], CultureInfo.InvariantCulture));
                union.Add(long.Parse(f[5], CultureInfo.InvariantCulture));
                pred.Add(long.Parse(f[6], CultureInfo.InvariantCulture));
                label.Add(long.Parse(f[7], CultureInfo.InvariantCulture));
                images = int.Parse(f[8], CultureInfo.InvariantCulture);
                rzl = bool.Parse(f[9]);
                ignore = int.Parse(f[10], CultureInfo.InvariantCulture);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"'{path}' line {i + 1}: {e.Message}", e);
            }
        }
        return new SegmentationScores(names, new ImageAreas(inter.ToArray(), union.ToArray(), pred.ToArray(), label.ToArray()), images, rzl, ignore);
    }

    private static string D(double v) => double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var cur = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cur.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else cur.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(cur.ToString()); cur.Clear(); }
            else cur.Append(ch);
        }
        fields.Add(cur.ToString());
        return fields;
    }
}
