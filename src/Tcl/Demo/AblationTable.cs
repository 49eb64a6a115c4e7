using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Analysis;
using Plotly.NET;
using Tcl.IO;
using Tcl.Visualization;

namespace Tcl.Demo;

/// <summary>
/// An ablation study's table: <c>ablations.csv</c> (one row per preset: the poster's VOC20 number, our mIoU per
/// synthetic benchmark, their mean, training length, last loss, training time) and <c>ablations.json</c> (the same
/// plus the profile, the protocol and the poster claims), written atomically; read back with <see cref="ReadCsv"/>;
/// shown as text, a <see cref="DataFrame"/> or a bar chart next to the poster.
/// </summary>
public static class AblationTable
{
    /// <summary>The CSV file name.</summary>
    public const string CsvFileName = "ablations.csv";

    /// <summary>The JSON file name.</summary>
    public const string JsonFileName = "ablations.json";

    private static readonly string[] Leading = ["row", "description", "poster_voc20"];
    private static readonly string[] Trailing = ["mean", "steps", "final_loss", "train_seconds"];

    /// <summary>Writes <see cref="CsvFileName"/> and <see cref="JsonFileName"/> into <paramref name="folder"/>.</summary>
    public static void Write(AblationStudyResult result, string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteText(Path.Combine(folder, CsvFileName), ToCsv(result.Benchmarks, result.Rows));
        AtomicFile.WriteText(Path.Combine(folder, JsonFileName), JsonSerializer.Serialize(new
        {
            profile = result.Profile.Name,
            seed = result.Profile.Seed,
            protocol = result.Profile.Protocol.ToString(),
            headline = "mean of the per-benchmark mIoU (%) over the synthetic benchmarks",
            benchmarks = result.Benchmarks,
            rows = result.Rows.Select(r => new
            {
                row = r.Name, description = r.Description, poster_voc20 = r.PosterVoc20, miou = r.MeanIoU, mean = Json(r.Mean),
                steps = r.Steps, final_loss = r.FinalLoss, train_seconds = r.TrainSeconds,
            }),
            claims = result.Claims.Select(c => new
            {
                claim = c.Text, reading = c.Reading, poster_delta = c.PosterDelta, ours_delta = c.OursDelta, verdict = Verdict(c.Verdict),
            }),
        }, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The CSV text of <paramref name="rows"/> with one column per benchmark in <paramref name="benchmarks"/>.</summary>
    public static string ToCsv(IReadOnlyList<string> benchmarks, IReadOnlyList<AblationRow> rows)
    {
        var csv = new StringBuilder(string.Join(',', Leading.Concat(benchmarks).Concat(Trailing))).Append('\n');
        foreach (var r in rows)
        {
            var cells = new List<string> { r.Name, CsvText.Quote(r.Description), r.PosterVoc20 is { } p ? F(p) : "" };
            cells.AddRange(benchmarks.Select(b => r.MeanIoU.TryGetValue(b, out var v) ? F(v) : ""));
            cells.AddRange([F(r.Mean), r.Steps.ToString(CultureInfo.InvariantCulture), r.FinalLoss is { } loss ? loss.ToString("G6", CultureInfo.InvariantCulture) : "", F(r.TrainSeconds)]);
            csv.Append(string.Join(',', cells)).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>Reads a table written by <see cref="Write"/> (e.g. the committed full-profile results).</summary>
    /// <returns>The benchmark columns and the rows.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not an ablation table; the message names the file, the line and the column.</exception>
    public static (IReadOnlyList<string> Benchmarks, IReadOnlyList<AblationRow> Rows) ReadCsv(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Ablation table '{path}' does not exist.", path);
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) throw new InvalidDataException($"{path}: empty file; expected the header '{string.Join(',', Leading)},…'.");
        var header = CsvText.Split(lines[0]);
        int benchmarkCount = header.Count - Leading.Length - Trailing.Length;
        if (benchmarkCount < 1 || !header.Take(Leading.Length).SequenceEqual(Leading) || !header.Skip(header.Count - Trailing.Length).SequenceEqual(Trailing))
            throw new InvalidDataException($"{path}: line 1: expected the header '{string.Join(',', Leading)},<benchmark>…,{string.Join(',', Trailing)}', got '{lines[0]}'.");
        var benchmarks = header.Skip(Leading.Length).Take(benchmarkCount).ToList();
        var rows = new List<AblationRow>();
        for (int i = 1; i < lines.Count; i++)
        {
            var cells = CsvText.Split(lines[i]);
            if (cells.Count != header.Count)
                throw new InvalidDataException($"{path}: line {i + 1}: expected {header.Count} columns, got {cells.Count}.");
            double Number(int column, bool optional = false)
            {
                if (cells[column].Length == 0 && optional) return double.NaN;
                if (double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
                throw new InvalidDataException($"{path}: line {i + 1}, column '{header[column]}': expected a number, got '{cells[column]}'.");
            }
            double poster = Number(2, optional: true);
            var miou = benchmarks.Select((b, k) => (b, v: Number(Leading.Length + k, optional: true))).ToDictionary(x => x.b, x => x.v);
            int t = Leading.Length + benchmarkCount;
            rows.Add(new AblationRow(cells[0], cells[1], double.IsNaN(poster) ? null : poster, miou,
                (long)Number(t + 1), Number(t + 2, optional: true) is var loss && !double.IsNaN(loss) ? loss : null, Number(t + 3)));
        }
        return (benchmarks, rows);
    }

    /// <summary>The rows as a frame: row, description, poster VOC20, one column per benchmark, mean, steps, last loss, seconds.</summary>
    public static DataFrame ToDataFrame(IReadOnlyList<string> benchmarks, IReadOnlyList<AblationRow> rows)
    {
        var columns = Leading.Concat(benchmarks).Concat(Trailing).ToList();
        return ResultTables.ToDataFrame(columns, rows.Select(r =>
        {
            var values = new List<object?> { r.Name, r.Description, r.PosterVoc20 };
            values.AddRange(benchmarks.Select(b => r.MeanIoU.TryGetValue(b, out var v) && !double.IsNaN(v) ? (object?)v : null));
            values.AddRange([double.IsNaN(r.Mean) ? null : r.Mean, r.Steps, r.FinalLoss is { } loss ? Math.Round(loss, 4) : null, r.TrainSeconds]);
            return (IReadOnlyList<object?>)values;
        }));
    }

    /// <summary>
    /// The presets A–H as the switches they set (the poster's ablation tables (a) and (b)): decoder on or off and the
    /// weight of each loss term, with the poster's VOC20 mIoU.
    /// </summary>
    public static DataFrame PresetsFrame() =>
        ResultTables.ToDataFrame(["row", "description", "decoder", "TCL_v", "TCL_f", "L_area", "CL", "TV", "poster_voc20"],
            Training.AblationPresets.All.Select(p => (IReadOnlyList<object?>)
            [
                p.Name, p.Description, p.Grounder.UseDecoder ? "yes" : "no",
                p.Losses.ImageTcl, p.Losses.FeatureTcl, p.Losses.Area, p.Losses.Contrastive, p.Losses.TotalVariation, p.PosterVoc20,
            ]));

    /// <summary>The claims as a frame: claim, reading, poster Δ, our Δ, verdict.</summary>
    public static DataFrame ClaimsFrame(IReadOnlyList<PosterClaim> claims) =>
        ResultTables.ToDataFrame(["claim", "poster reading", "poster_delta", "ours_delta", "verdict"],
            claims.Select(c => (IReadOnlyList<object?>)[c.Text, c.Reading, c.PosterDelta, c.OursDelta, Verdict(c.Verdict)]));

    /// <summary>
    /// Bars per preset: the poster's VOC20 mIoU next to our mean synthetic mIoU (the reference row has no poster bar).
    /// The two are on different data and scales — the chart compares orderings, not values.
    /// </summary>
    public static GenericChart Chart(IReadOnlyList<AblationRow> rows, string? title = null) =>
        Compare([("ours: mean synthetic mIoU", rows)], title);

    /// <summary>
    /// Bars per preset of the first run: the poster's VOC20 mIoU, then each run's mean synthetic mIoU (e.g. the
    /// recorded full-profile table next to a live run; a row a run lacks has no bar).
    /// </summary>
    public static GenericChart Compare(IReadOnlyList<(string Label, IReadOnlyList<AblationRow> Rows)> runs, string? title = null)
    {
        if (runs.Count == 0) throw new ArgumentException("No run to chart.", nameof(runs));
        var names = runs[0].Rows.Select(r => r.Name).ToList();
        var series = new Dictionary<string, IReadOnlyList<double>>
        {
            ["poster: VOC20 mIoU"] = runs[0].Rows.Select(r => r.PosterVoc20 ?? double.NaN).ToList(),
        };
        foreach (var (label, rows) in runs)
            series[label] = names.Select(n => rows.FirstOrDefault(r => r.Name == n)?.Mean ?? double.NaN).ToList();
        return Charts.GroupedBars(names, series, title ?? "Ablations A–H: the poster (VOC20) and our synthetic world", "mIoU (%)");
    }

    /// <summary>A fixed-width text table of the rows and, below it, the claims (for the console and logs).</summary>
    public static string Format(IReadOnlyList<string> benchmarks, IReadOnlyList<AblationRow> rows, IReadOnlyList<PosterClaim> claims)
    {
        var names = benchmarks.Select(b => b.StartsWith("synthetic_", StringComparison.Ordinal) ? b["synthetic_".Length..] : b).ToList();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{"row",-9}{"poster",8}");
        foreach (var n in names) sb.Append(CultureInfo.InvariantCulture, $"{n,10}");
        sb.Append(CultureInfo.InvariantCulture, $"{"mean",8}{"steps",7}{"loss",9}  description\n");
        foreach (var r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Name,-9}{(r.PosterVoc20 is { } p ? F(p) : "–"),8}");
            foreach (var b in benchmarks) sb.Append(CultureInfo.InvariantCulture, $"{(r.MeanIoU.TryGetValue(b, out var v) ? F(v) : "–"),10}");
            sb.Append(CultureInfo.InvariantCulture, $"{F(r.Mean),8}{r.Steps,7}{(r.FinalLoss is { } loss ? loss.ToString("F3", CultureInfo.InvariantCulture) : "–"),9}  {r.Description}\n");
        }
        sb.Append('\n');
        foreach (var c in claims)
            sb.Append(CultureInfo.InvariantCulture,
                $"{c.Text,-7} poster {c.PosterDelta,6:+0.0;-0.0}  ours {(c.OursDelta is { } d ? d.ToString("+0.00;-0.00", CultureInfo.InvariantCulture) : "–"),7}  {Verdict(c.Verdict),-15} {c.Reading}\n");
        return sb.ToString();
    }

    /// <summary>The verdict as written in tables: <c>reproduced</c>, <c>not reproduced</c>, <c>not run</c>.</summary>
    public static string Verdict(ClaimVerdict verdict) => verdict switch
    {
        ClaimVerdict.Reproduced => "reproduced",
        ClaimVerdict.NotReproduced => "not reproduced",
        _ => "not run",
    };

    private static string F(double v) => double.IsNaN(v) ? "" : v.ToString("F2", CultureInfo.InvariantCulture);

    private static double? Json(double v) => double.IsNaN(v) ? null : v;
}
