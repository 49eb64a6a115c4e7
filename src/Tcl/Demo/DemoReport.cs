using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data.Synthetic;
using Tcl.Evaluation;
using Tcl.IO;
using Tcl.Training;
using Tcl.Visualization;

namespace Tcl.Demo;

/// <summary>
/// The demo's report folder: the results tables (<see cref="DemoResultsTable"/>), a self-contained HTML page
/// (<c>report.html</c>: no network needed) with the loss curves of both trainings, mIoU per benchmark and per class
/// for TCL against MaskCLIP, and mask overlays for a few test scenes — the scene's own objects and free-form
/// queries — also saved as PNGs in <c>overlays/</c>.
/// </summary>
public static class DemoReport
{
    /// <summary>File name of the HTML page in the report folder.</summary>
    public const string HtmlFileName = "report.html";

    private const int Zoom = 4;
    private static readonly Rgb24 MaskColour = new(255, 40, 200);

    /// <summary>Writes the report of <paramref name="result"/> into its layout's report folder.</summary>
    /// <param name="result">A finished run.</param>
    /// <param name="progress">Receives one line per file group written.</param>
    /// <param name="tcl">TCL to draw query masks with (loaded from the run when null).</param>
    /// <param name="baseline">MaskCLIP to draw query masks with (loaded from the run when null).</param>
    public static void Write(DemoResult result, IProgress<DemoProgress>? progress = null, LoadedMethod? tcl = null, LoadedMethod? baseline = null)
    {
        var folder = result.Layout.Report;
        DemoResultsTable.Write(result, folder);
        progress?.Report(new DemoProgress(DemoStage.Report, $"wrote {Path.Combine(folder, "results.csv")}, per_class.csv, results.json"));

        var profile = result.Profile;
        var rows = DemoResultsTable.Rows(result);
        var html = new HtmlReport($"TCL on the synthetic world — {profile.Name} profile");
        html.AddParagraph($"Profile '{profile.Name}', seed {profile.Seed}, protocol {profile.Protocol}. A {profile.Clip.Model.Vision.Layers}-layer " +
                          $"{profile.Clip.Model.Vision.Width}-wide CLIP was pre-trained from scratch on {profile.TrainScenes:N0} synthetic image-caption " +
                          $"pairs ({result.ClipTraining.StepsCompleted:N0} steps of {profile.Clip.BatchSize}); TCL was trained on the frozen CLIP " +
                          $"({result.TclTraining.StepsCompleted:N0} steps of {profile.Tcl.BatchSize}) and compared with the training-free MaskCLIP " +
                          $"baseline on the same CLIP, on {profile.EvalScenes} test scenes per benchmark.");
        html.AddPreformatted(string.Join("\n", result.Stages.Select(s => $"{s.Stage,-9} {s.Seconds,7:F1} s")) +
                             $"\n{"total",-9} {result.Stages.Sum(s => s.Seconds),7:F1} s");

        html.AddHeading("Results (mIoU, %)");
        html.AddTable(["benchmark", "what it asks", "classes", "images", "TCL", "MaskCLIP", "Δ"],
            rows.Select(r => (IReadOnlyList<string>)[r.Benchmark, r.Description, Num(r.Classes), Num(r.Images), F2(r.Tcl), F2(r.MaskClip), F2(r.Delta)]));
        html.AddChart(Charts.GroupedBars(rows.Select(r => r.Benchmark).ToList(),
            new Dictionary<string, IReadOnlyList<double>> { ["TCL"] = rows.Select(r => r.Tcl).ToList(), ["MaskCLIP"] = rows.Select(r => r.MaskClip).ToList() },
            "mIoU per synthetic benchmark", "mIoU (%)"));

        html.AddHeading("What the small CLIP knows");
        html.AddParagraph("Zero-shot classification of the test scenes by the pre-trained CLIP (top-1 word present in the scene). " +
                          "TCL can ground only words whose meaning CLIP has learned.");
        html.AddTable(["attribute", "prompt", "classes", "scenes", "accuracy (%)", "chance (%)"],
            result.ClipProbe.Select(p => (IReadOnlyList<string>)[p.Attribute, p.Prompt, Num(p.Classes), Num(p.Scenes), F2(p.Accuracy * 100), F2(p.Chance * 100)]));

        html.AddHeading("Training");
        html.AddChart(Charts.LossCurvesFromMetrics(Path.Combine(result.Layout.ClipRun, Trainer.MetricsFileName), "CLIP pre-training: contrastive loss", smoothing: 10));
        html.AddChart(Charts.LossCurvesFromMetrics(Path.Combine(result.Layout.TclRun, Trainer.MetricsFileName), "TCL training: total loss and weighted terms", smoothing: 10));

        html.AddHeading("Per-class IoU (%)");
        foreach (var b in result.Benchmarks)
        {
            var t = result.Result(b.Manifest.Key, "tcl").Scores;
            var m = result.Result(b.Manifest.Key, "maskclip").Scores;
            html.AddChart(Charts.GroupedBars(t.ClassNames,
                new Dictionary<string, IReadOnlyList<double>> { ["TCL"] = t.IoU.Select(Percent).ToList(), ["MaskCLIP"] = m.IoU.Select(Percent).ToList() },
                $"{b.Manifest.Key}: {b.Manifest.Conventions[0]}", "IoU (%)"));
        }

        html.AddHeading("Masks for text queries");
        html.AddParagraph($"Each row: the test image, its ground truth, TCL's and MaskCLIP's predictions on {SyntheticLabeling.Key(SyntheticBenchmarkKind.Objects)}; " +
                          "then one mask per query (the scene's own objects, then free-form text), TCL above MaskCLIP. PNGs in overlays/.");
        bool ownTcl = tcl is null, ownBaseline = baseline is null;
        tcl ??= new DemoPipeline(profile, result.Layout.Root).LoadTcl();
        try
        {
            baseline ??= new DemoPipeline(profile, result.Layout.Root).LoadMaskClip();
            WriteOverlays(result, html, tcl, baseline);
        }
        finally
        {
            if (ownTcl) tcl.Dispose();
            if (ownBaseline) baseline?.Dispose();
        }
        progress?.Report(new DemoProgress(DemoStage.Report, $"wrote {profile.OverlayScenes} overlay scenes in {Path.Combine(folder, "overlays")}"));

        html.Save(Path.Combine(folder, HtmlFileName));
        progress?.Report(new DemoProgress(DemoStage.Report, $"wrote {Path.Combine(folder, HtmlFileName)}"));
    }

    private static void WriteOverlays(DemoResult result, HtmlReport html, LoadedMethod tcl, LoadedMethod baseline)
    {
        var profile = result.Profile;
        var benchmark = result.Benchmarks.First(b => b.Manifest.Key == SyntheticLabeling.Key(SyntheticBenchmarkKind.Objects));
        var samples = benchmark.Open().Samples();
        var generator = new SyntheticGenerator(SyntheticLabeling.SceneWorld(SyntheticBenchmarkKind.Objects, profile.World));
        byte[] palette = LabelPng.VocPalette(256);
        string overlays = Path.Combine(result.Layout.Report, "overlays");
        for (int i = 0; i < Math.Min(profile.OverlayScenes, samples.Count); i++)
        {
            var sample = samples[i];
            var scene = generator.Generate(i, SyntheticSplit.Test);
            using var image = Image.Load<Rgb24>(sample.ImagePath);
            var truth = LabelPng.Read(sample.LabelPath);
            var panels = new List<(Image<Rgb24> Image, string Caption)>
            {
                (MaskOverlay.Upscale(image, Zoom), $"{sample.Id}: \"{CaptionWriter.Write(scene, profile.World.Captions)}\""),
                (Labelled(image, truth, palette), "ground truth"),
            };
            foreach (var method in new[] { "tcl", "maskclip" })
            {
                var prediction = LabelPng.Read(Path.Combine(result.Layout.Report, "predictions", method, benchmark.Manifest.Key, sample.Id + ".png"));
                panels.Add((Labelled(image, prediction, palette), method == "tcl" ? "TCL prediction" : "MaskCLIP prediction"));
            }
            Save(panels, Path.Combine(overlays, $"{sample.Id}_labels.png"));
            html.AddFigureRow(panels);

            var queries = SceneQueries(scene).Concat(profile.FreeFormQueries).Distinct().ToList();
            var tclMasks = TextQueries.Masks(tcl.Scorer, tcl.TextTower, profile.Protocol, image, queries);
            var baseMasks = TextQueries.Masks(baseline.Scorer, baseline.TextTower, profile.Protocol, image, queries);
            var queryPanels = new List<(Image<Rgb24> Image, string Caption)>();
            for (int q = 0; q < queries.Count; q++)
            {
                using var tclPanel = MaskOverlay.Blend(image, tclMasks[q], image.Width, image.Height, MaskColour);
                using var basePanel = MaskOverlay.Blend(image, baseMasks[q], image.Width, image.Height, MaskColour);
                using var tclUp = MaskOverlay.Upscale(tclPanel, Zoom);
                using var baseUp = MaskOverlay.Upscale(basePanel, Zoom);
                queryPanels.Add((MaskOverlay.Column([tclUp, baseUp]), $"\"{queries[q]}\""));
            }
            Save(queryPanels, Path.Combine(overlays, $"{sample.Id}_queries.png"));
            html.AddFigureRow(queryPanels);
            foreach (var (panel, _) in panels.Concat(queryPanels)) panel.Dispose();
        }
    }

    /// <summary>The names a user would type for the scene's objects: "purple star", "zorblat".</summary>
    private static IEnumerable<string> SceneQueries(SyntheticScene scene) =>
        scene.Objects.Where(o => o.Area > 0).Select(o => o.IsSprite ? o.Sprite! : $"{o.Colour} {o.Shape!.Value.ToString().ToLowerInvariant()}");

    private static Image<Rgb24> Labelled(Image<Rgb24> image, LabelMap labels, byte[] palette)
    {
        using var overlay = MaskOverlay.Labels(image, labels.Pixels, labels.Width, labels.Height, palette, alpha: 0.6, skipZero: true);
        return MaskOverlay.Upscale(overlay, Zoom);
    }

    private static void Save(IReadOnlyList<(Image<Rgb24> Image, string Caption)> panels, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var row = MaskOverlay.Row(panels.Select(p => p.Image).ToList());
        MaskOverlay.SavePng(row, path);
    }

    private static double Percent(double fraction) => double.IsNaN(fraction) ? double.NaN : Tcl.Evaluation.Metrics.SegmentationScores.Percent(fraction);
    private static string F2(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
    private static string Num(int v) => v.ToString(CultureInfo.InvariantCulture);
}
