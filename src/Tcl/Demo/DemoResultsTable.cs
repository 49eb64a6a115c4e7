using System.Globalization;
using System.Text;
using System.Text.Json;
using Tcl.Evaluation;
using Tcl.Evaluation.Metrics;
using Tcl.IO;

namespace Tcl.Demo;

/// <summary>One row of the demo's results table: a benchmark with TCL's and the baseline's mIoU (percent).</summary>
public sealed record DemoResultRow(string Benchmark, string Description, int Classes, int Images, double Tcl, double MaskClip)
{
    /// <summary>TCL − MaskCLIP in mIoU points.</summary>
    public double Delta => Math.Round(Tcl - MaskClip, 2);
}

/// <summary>
/// The demo's results as tables: the summary (benchmark × method mIoU), per-class IoU, and the text the CLI prints.
/// Files are written atomically: <c>results.csv</c>, <c>results.json</c> (with stage times and training losses) and
/// <c>per_class.csv</c>.
/// </summary>
public static class DemoResultsTable
{
    /// <summary>The summary rows, in report order.</summary>
    public static IReadOnlyList<DemoResultRow> Rows(DemoResult result) => result.Benchmarks.Select(b =>
    {
        var key = b.Manifest.Key;
        var tcl = result.Result(key, "tcl").Scores;
        var baseline = result.Result(key, "maskclip").Scores;
        return new DemoResultRow(key, b.Manifest.Conventions[0], b.Manifest.NumClasses, tcl.ImageCount, tcl.MeanIoUPercent, baseline.MeanIoUPercent);
    }).ToList();

    /// <summary>The table as printed: one line per benchmark, aligned.</summary>
    public static string Format(IReadOnlyList<DemoResultRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"benchmark",-20} {"classes",7} {"images",6} {"TCL",7} {"MaskCLIP",8} {"Δ",7}");
        foreach (var r in rows)
            sb.AppendLine(CultureInfo.InvariantCulture, $"{r.Benchmark,-20} {r.Classes,7} {r.Images,6} {r.Tcl,7:F2} {r.MaskClip,8:F2} {r.Delta,7:+0.00;-0.00;0.00}");
        return sb.ToString();
    }

    /// <summary>Writes <c>results.csv</c>, <c>per_class.csv</c> and <c>results.json</c> into <paramref name="folder"/>.</summary>
    public static void Write(DemoResult result, string folder)
    {
        Directory.CreateDirectory(folder);
        var rows = Rows(result);
        var csv = new StringBuilder("benchmark,classes,images,protocol,tcl_miou,maskclip_miou,delta\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Benchmark},{r.Classes},{r.Images},{result.Profile.Protocol},{r.Tcl:F2},{r.MaskClip:F2},{r.Delta:F2}\n");
        AtomicFile.WriteText(Path.Combine(folder, "results.csv"), csv.ToString());

        var perClass = new StringBuilder("benchmark,class,tcl_iou,maskclip_iou\n");
        foreach (var b in result.Benchmarks)
        {
            var tcl = result.Result(b.Manifest.Key, "tcl").Scores;
            var baseline = result.Result(b.Manifest.Key, "maskclip").Scores;
            for (int c = 0; c < tcl.NumClasses; c++)
                perClass.Append(CultureInfo.InvariantCulture, $"{b.Manifest.Key},{CsvText.Quote(tcl.ClassNames[c])},{Pct(tcl.IoU[c])},{Pct(baseline.IoU[c])}\n");
        }
        AtomicFile.WriteText(Path.Combine(folder, "per_class.csv"), perClass.ToString());

        AtomicFile.WriteText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(new
        {
            profile = result.Profile.Name,
            seed = result.Profile.Seed,
            protocol = result.Profile.Protocol.ToString(),
            benchmarks = rows.Select(r => new
            {
                benchmark = r.Benchmark, description = r.Description, classes = r.Classes, images = r.Images,
                tcl_miou = r.Tcl, maskclip_miou = r.MaskClip, delta = r.Delta,
                per_class = result.Benchmarks.First(b => b.Manifest.Key == r.Benchmark).ClassNames.Select((name, c) => new
                {
                    name,
                    tcl_iou = Json(result.Result(r.Benchmark, "tcl").Scores.IoU[c]),
                    maskclip_iou = Json(result.Result(r.Benchmark, "maskclip").Scores.IoU[c]),
                }),
            }),
            training = new
            {
                clip = new { steps = result.ClipTraining.StepsCompleted, last_loss = result.ClipTraining.LastLoss, seconds = result.ClipTraining.Elapsed.TotalSeconds },
                tcl = new { steps = result.TclTraining.StepsCompleted, last_loss = result.TclTraining.LastLoss, seconds = result.TclTraining.Elapsed.TotalSeconds },
            },
            clip_zero_shot = result.ClipProbe.Select(p => new
            {
                attribute = p.Attribute, prompt = p.Prompt, classes = p.Classes, scenes = p.Scenes,
                accuracy = Math.Round(p.Accuracy * 100, 2), chance = Math.Round(p.Chance * 100, 2),
            }),
            stage_seconds = result.Stages.ToDictionary(s => s.Stage.ToString().ToLowerInvariant(), s => Math.Round(s.Seconds, 1)),
        }, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Pct(double fraction) => double.IsNaN(fraction) ? "" : SegmentationScores.Percent(fraction).ToString("F2", CultureInfo.InvariantCulture);

    private static double? Json(double fraction) => double.IsNaN(fraction) ? null : SegmentationScores.Percent(fraction);
}
