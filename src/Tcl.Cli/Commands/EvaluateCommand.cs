using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Tcl.Clip.Weights;
using Tcl.Evaluation;
using Tcl.Evaluation.Benchmarks;
using Tcl.Evaluation.Metrics;
using Tcl.IO;

namespace Tcl.Cli.Commands;

/// <summary>
/// <c>tcl evaluate --clip WEIGHTS [--tcl CHECKPOINT] (--dataset NAME | --all) --data-root DIR [--protocol NAME|FILE]</c>:
/// the TCL paper's unified zero-shot protocol on one benchmark or all eight, with a progress bar. Writes per-class
/// tables (<c>OUT/DATASET.METHOD.PROTOCOL.csv/.json</c>) and, for several benchmarks, the summary table with the
/// average (<c>summary.csv/.json</c>). <c>--method maskclip</c> runs the training-free baseline on the same CLIP;
/// <c>--predictions DIR</c> scores label PNGs another system saved. Exit codes: 0, 1 bad input (names the file; also a
/// truncated or damaged <c>--tcl</c> checkpoint).
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var clip = new Option<string?>("--clip") { Description = "CLIP weights (e.g. ViT-B-16.pt); not needed with --predictions" };
        var tcl = new Option<string?>("--tcl") { Description = "TCL weights: the released tcl.pth or a checkpoint of `tcl train`" };
        var method = new Option<string>("--method") { Description = "tcl | maskclip", DefaultValueFactory = _ => "tcl" };
        var predictions = new Option<string?>("--predictions") { Description = "score the label PNGs ({id}.png) in this folder instead of running a model" };
        var dataset = new Option<string[]>("--dataset") { Description = $"benchmark(s): {string.Join(", ", BenchmarkCatalog.All.Select(m => m.Key))}, or a manifest file (e.g. a synthetic benchmark's manifest.json)", AllowMultipleArgumentsPerToken = true };
        var all = new Option<bool>("--all") { Description = "all 8 benchmarks, with the average" };
        var dataRoot = new Option<string?>("--data-root") { Description = "folder holding the prepared datasets (see data-manifests/)" };
        var protocol = new Option<string>("--protocol") { Description = "tcl | tcl-no-pamr | a protocol JSON file", DefaultValueFactory = _ => "tcl" };
        var output = new Option<string>("--out") { Description = "where the tables go", DefaultValueFactory = _ => "eval-results" };
        var limit = new Option<int?>("--limit") { Description = "only the first N images of each benchmark (smoke test)" };
        var save = new Option<bool>("--save-predictions") { Description = "also write every prediction as OUT/predictions/DATASET/{id}.png" };
        var visionHeads = new Option<int?>("--vision-heads") { Description = "image-tower heads when not width/64" };
        var textHeads = new Option<int?>("--text-heads") { Description = "text-tower heads when not width/64" };
        var command = new Command("evaluate", "Zero-shot semantic segmentation on the 8 benchmarks with TCL's unified protocol.")
        {
            clip, tcl, method, predictions, dataset, all, dataRoot, protocol, output, limit, save, visionHeads, textHeads,
        };
        command.SetAction((parse, cancellation) =>
        {
            var io = parse.InvocationConfiguration;
            var request = new Request(parse.GetValue(clip), parse.GetValue(tcl), parse.GetValue(method)!, parse.GetValue(predictions),
                parse.GetValue(all) ? BenchmarkCatalog.All.Select(m => m.Key).ToArray() : parse.GetValue(dataset) ?? [],
                parse.GetValue(dataRoot), parse.GetValue(protocol)!, parse.GetValue(output)!, parse.GetValue(limit),
                parse.GetValue(save), parse.GetValue(visionHeads), parse.GetValue(textHeads));
            return Task.FromResult(Run(request, io.Output, io.Error, cancellation));
        });
        return command;
    }

    private sealed record Request(string? Clip, string? Tcl, string Method, string? Predictions, string[] Datasets, string? DataRoot,
        string Protocol, string Output, int? Limit, bool Save, int? VisionHeads, int? TextHeads);

    private static int Run(Request r, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        try
        {
            if (r.Datasets.Length == 0) throw new ArgumentException("name a benchmark with --dataset NAME, or use --all.");
            if (r.DataRoot is null) throw new ArgumentException("--data-root DIR is required (the folder holding the prepared datasets; see data-manifests/).");
            var protocol = EvaluationProtocol.Load(r.Protocol);
            var manifests = r.Datasets.Select(d => d.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ManifestReader.ReadFile(d) : BenchmarkCatalog.Get(d)).ToList();
            var datasets = manifests.Select(m => SegmentationDataset.Open(m, r.DataRoot)).ToList();   // fail before any model is loaded
            var results = r.Predictions is not null
                ? datasets.Select(d => ScorePredictions(d, r, output, error)).ToList()
                : RunModel(datasets, r, protocol, output, error, cancellation);
            WriteSummary(results, r.Output, output);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                                      or WeightLoadException or BenchmarkDataException or Tcl.Training.CorruptCheckpointException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("interrupted; no tables written for the benchmark in progress");
            return 130;
        }
    }

    private static List<BenchmarkResult> RunModel(List<SegmentationDataset> datasets, Request r, EvaluationProtocol protocol,
        TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        if (r.Clip is null) throw new ArgumentException("--clip WEIGHTS is required to run a model (or score saved label PNGs with --predictions DIR).");
        using var method = r.Method.ToLowerInvariant() switch
        {
            "tcl" => SegmentationMethods.Tcl(r.Clip, r.Tcl, protocol, r.VisionHeads, r.TextHeads),
            "maskclip" => SegmentationMethods.MaskClip(r.Clip, r.VisionHeads, r.TextHeads),
            _ => throw new ArgumentException($"--method '{r.Method}': expected tcl or maskclip."),
        };
        output.WriteLine(method.Description);
        output.WriteLine($"protocol {protocol}: short side {protocol.ShortSide}, windows {protocol.CropSize}/{protocol.Stride}, " +
                         $"PAMR {(protocol.Pamr ? "on" : "off")}, kp {protocol.KpWeight}, background {protocol.BackgroundThreshold}, templates {protocol.Templates}");
        var evaluator = new BenchmarkEvaluator(method.Scorer, method.TextTower, protocol);
        var results = new List<BenchmarkResult>();
        foreach (var dataset in datasets)
        {
            var bar = new Progress.EvaluationProgressBar(output, dataset.Manifest.Key,
                interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
            var save = r.Save ? Path.Combine(r.Output, "predictions", dataset.Manifest.Key) : null;
            var result = evaluator.Evaluate(dataset, new EvaluationOptions(r.Limit, save), bar, cancellation);
            WriteTables(result, r.Output, output, error);
            results.Add(result);
        }
        return results;
    }

    private static BenchmarkResult ScorePredictions(SegmentationDataset dataset, Request r, TextWriter output, TextWriter error)
    {
        var dir = r.Datasets.Length == 1 ? r.Predictions! : Path.Combine(r.Predictions!, dataset.Manifest.Key);
        var samples = dataset.Samples().AsEnumerable();
        if (r.Limit is { } n) samples = samples.Take(n);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scores = PredictionFolderScorer.Score(dir, samples.Select(s => (s.Id, s.LabelPath)), BenchmarkEvaluator.MetricConfig(dataset.Manifest));
        // Whatever protocol produced the PNGs is the other system's; the scores say "external".
        var result = new BenchmarkResult(dataset.Manifest.Key, "predictions", "external", scores, clock.Elapsed.TotalSeconds, 0);
        WriteTables(result, r.Output, output, error);
        return result;
    }

    private static void WriteTables(BenchmarkResult result, string dir, TextWriter output, TextWriter error)
    {
        foreach (var warning in OutOfRangeFile.Warnings(result.Dataset, result.Scores.NumClasses, result.Scores.OutOfRangeFiles))
            error.WriteLine($"warning: {warning}");
        var stem = Path.Combine(dir, $"{result.Dataset}.{result.Method}.{result.Protocol.Replace('@', '-')}");
        SegmentationScoresCsv.Write(stem + ".csv", result.Scores);
        SegmentationScoresJson.Write(stem + ".json", result.Scores);
        output.WriteLine($"{result.Dataset}: mIoU {Pct(result.Scores.MeanIoU)}, aAcc {Pct(result.Scores.AAcc)} over {result.Scores.ImageCount} images " +
                         $"in {result.Seconds:F1} s → {stem}.csv/.json");
    }

    private static void WriteSummary(List<BenchmarkResult> results, string dir, TextWriter output)
    {
        if (results.Count < 2) return;
        var csv = new StringBuilder("dataset,method,protocol,images,mIoU,aAcc\n");
        foreach (var r in results)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Dataset},{r.Method},{r.Protocol},{r.Scores.ImageCount},{Pct(r.Scores.MeanIoU)},{Pct(r.Scores.AAcc)}\n");
        double average = results.Average(r => SegmentationScores.Percent(r.Scores.MeanIoU));
        csv.Append(CultureInfo.InvariantCulture, $"average,{results[0].Method},{results[0].Protocol},,{average:F2},\n");
        AtomicFile.WriteText(Path.Combine(dir, "summary.csv"), csv.ToString());
        AtomicFile.WriteText(Path.Combine(dir, "summary.json"), JsonSerializer.Serialize(new
        {
            method = results[0].Method,
            protocol = results[0].Protocol,
            benchmarks = results.Select(r => new { dataset = r.Dataset, images = r.Scores.ImageCount, miou = SegmentationScores.Percent(r.Scores.MeanIoU), seconds = r.Seconds }),
            average_miou = Math.Round(average, 2),
        }, new JsonSerializerOptions { WriteIndented = true }));
        output.WriteLine();
        output.WriteLine(string.Join("  ", results.Select(r => $"{r.Dataset} {Pct(r.Scores.MeanIoU)}")) + $"  | average {average.ToString("F2", CultureInfo.InvariantCulture)}");
    }

    private static string Pct(double fraction) => SegmentationScores.Percent(fraction).ToString("F2", CultureInfo.InvariantCulture);
}
