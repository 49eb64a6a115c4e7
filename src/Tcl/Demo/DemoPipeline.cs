using System.Diagnostics;
using Tcl.Data.Synthetic;
using Tcl.Evaluation;
using Tcl.Training;

namespace Tcl.Demo;

/// <summary>What a demo run produced.</summary>
/// <param name="Profile">The profile it ran.</param>
/// <param name="Layout">Where its files are.</param>
/// <param name="Benchmarks">The synthetic benchmarks evaluated, in report order.</param>
/// <param name="Results">One result per benchmark and method (TCL, then MaskCLIP, per benchmark).</param>
/// <param name="Stages">Wall time per stage.</param>
/// <param name="ClipTraining">How CLIP pre-training ended.</param>
/// <param name="TclTraining">How TCL training ended.</param>
/// <param name="ClipProbe">What the pre-trained CLIP names zero-shot (shapes, colours, stuff) on the test scenes.</param>
public sealed record DemoResult(
    DemoProfile Profile, DemoLayout Layout, IReadOnlyList<SyntheticBenchmarkLayout> Benchmarks, IReadOnlyList<BenchmarkResult> Results,
    IReadOnlyList<DemoStageTime> Stages, TrainingResult ClipTraining, TrainingResult TclTraining, IReadOnlyList<ZeroShotProbeResult> ClipProbe)
{
    /// <summary>The result of <paramref name="method"/> on benchmark <paramref name="key"/>.</summary>
    public BenchmarkResult Result(string key, string method) =>
        Results.First(r => r.Dataset == key && r.Method == method);
}

/// <summary>
/// The embedded default end to end (DESIGN.md "The embedded default"): write the synthetic world as webdataset
/// shards and VOC-like benchmarks; pre-train a small CLIP on the shards with the contrastive loss; train TCL on the
/// frozen CLIP with the official losses and phases; evaluate TCL and the training-free MaskCLIP baseline on the same
/// CLIP with the protocol code on every synthetic benchmark; write a report. Every stage reads what the previous one
/// wrote through the real file formats and loaders, as a run on CC3M and the 8 benchmarks would.
/// </summary>
public sealed class DemoPipeline(DemoProfile profile, string outputDir)
{
    /// <summary>The profile.</summary>
    public DemoProfile Profile { get; } = profile with { World = profile.World with { Seed = profile.Seed } };

    /// <summary>Where the files go.</summary>
    public DemoLayout Layout { get; } = new(Path.GetFullPath(outputDir));

    /// <summary>Runs every stage; cancelling stops at the next step or image (files of finished stages stay).</summary>
    public DemoResult Run(IProgress<DemoProgress>? progress = null, CancellationToken cancellation = default)
    {
        var stages = new List<DemoStageTime>();
        T Stage<T>(DemoStage stage, Func<T> body)
        {
            cancellation.ThrowIfCancellationRequested();
            foreach (var folder in Layout.StageFolders(stage))
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            var clock = Stopwatch.StartNew();
            var value = body();
            stages.Add(new DemoStageTime(stage, clock.Elapsed.TotalSeconds));
            progress?.Report(new DemoProgress(stage, $"{stage} done in {clock.Elapsed.TotalSeconds:F1} s"));
            return value;
        }

        var benchmarks = Stage(DemoStage.World, () => WriteWorld(progress));
        var clip = Stage(DemoStage.Clip, () => PretrainClip(progress, cancellation));
        var tcl = Stage(DemoStage.Tcl, () => TrainTcl(progress, cancellation));
        // Both methods are loaded once, for the evaluation and for the report's query masks.
        LoadedMethod? tclMethod = null, baseline = null;
        try
        {
            var results = Stage(DemoStage.Evaluate, () =>
            {
                tclMethod = LoadTcl();
                baseline = LoadMaskClip();
                return Evaluate(benchmarks, [tclMethod, baseline], progress, cancellation);
            });
            var result = new DemoResult(Profile, Layout, benchmarks, results, stages, clip.Training, tcl, clip.Probe);
            Stage(DemoStage.Report, () => { DemoReport.Write(result, progress, tclMethod, baseline); return 0; });
            return result;
        }
        finally
        {
            tclMethod?.Dispose();
            baseline?.Dispose();
        }
    }

    private List<SyntheticBenchmarkLayout> WriteWorld(IProgress<DemoProgress>? progress)
    {
        var world = Profile.World;
        progress?.Report(new DemoProgress(DemoStage.World, $"writing {Profile.TrainScenes:N0} training scenes as webdataset shards"));
        SyntheticShards.Write(Layout.TrainShards, world, Profile.TrainScenes, Profile.ShardSize);
        var layouts = new List<SyntheticBenchmarkLayout>();
        foreach (var kind in SyntheticLabeling.All)
        {
            layouts.Add(SyntheticBenchmark.Write(Layout.EvalRoot, kind, world, Profile.EvalScenes));
            progress?.Report(new DemoProgress(DemoStage.World, $"wrote benchmark {SyntheticLabeling.Key(kind)} ({Profile.EvalScenes} scenes)"));
        }
        return layouts;
    }

    private (TrainingResult Training, IReadOnlyList<ZeroShotProbeResult> Probe) PretrainClip(IProgress<DemoProgress>? progress, CancellationToken cancellation)
    {
        var config = Profile.Clip with { Shards = [Layout.TrainShards], OutputDir = Layout.ClipRun, Seed = Profile.Seed };
        using var run = ClipPretrainingRun.Create(config);
        var result = run.Run(Relay(DemoStage.Clip, progress), cancellation);
        cancellation.ThrowIfCancellationRequested();
        run.Export(Layout.ClipWeights);
        var probe = ClipZeroShotProbe.Run(run.Model, Profile.World, Profile.EvalScenes);
        progress?.Report(new DemoProgress(DemoStage.Clip, "zero-shot on test scenes: " +
            string.Join(", ", probe.Select(p => $"{p.Attribute} {p.Accuracy * 100:F0} % (chance {p.Chance * 100:F0} %)"))));
        return (result, probe);
    }

    private TrainingResult TrainTcl(IProgress<DemoProgress>? progress, CancellationToken cancellation)
    {
        var heads = Profile.Clip.Model;
        var config = Profile.Tcl with
        {
            ClipWeights = Layout.ClipWeights, VisionHeads = heads.Vision.Heads, TextHeads = heads.Text.Heads,
            Shards = [Layout.TrainShards], OutputDir = Layout.TclRun, Seed = Profile.Seed,
        };
        using var run = TclTrainingRun.Create(config);
        var result = run.Run(Relay(DemoStage.Tcl, progress), cancellation);
        cancellation.ThrowIfCancellationRequested();
        return result;
    }

    /// <summary>The TCL checkpoint the run ends with.</summary>
    public string TclCheckpoint => TrainingCheckpoint.Latest(Layout.TclRun)
        ?? throw new FileNotFoundException($"No TCL checkpoint in '{Layout.TclRun}'; run the TCL stage first.");

    /// <summary>Loads TCL (CLIP + the trained grounder) in eval mode.</summary>
    public LoadedMethod LoadTcl() => SegmentationMethods.Tcl(Layout.ClipWeights, TclCheckpoint, Profile.Protocol, Profile.Clip.Model.Vision.Heads, Profile.Clip.Model.Text.Heads);

    /// <summary>Loads the MaskCLIP baseline on the same CLIP.</summary>
    public LoadedMethod LoadMaskClip() => SegmentationMethods.MaskClip(Layout.ClipWeights, Profile.Clip.Model.Vision.Heads, Profile.Clip.Model.Text.Heads);

    private List<BenchmarkResult> Evaluate(IReadOnlyList<SyntheticBenchmarkLayout> benchmarks, IReadOnlyList<LoadedMethod> methods,
        IProgress<DemoProgress>? progress, CancellationToken cancellation)
    {
        var results = new List<BenchmarkResult>();
        foreach (var method in methods)
        {
            var evaluator = new BenchmarkEvaluator(method.Scorer, method.TextTower, Profile.Protocol);
            foreach (var benchmark in benchmarks)
            {
                string key = benchmark.Manifest.Key, label = $"{method.Scorer.Name} on {key}";
                var save = Path.Combine(Layout.Report, "predictions", method.Scorer.Name, key);
                var relay = progress is null ? null : new Forward<EvaluationProgress>(e => progress.Report(new DemoProgress(DemoStage.Evaluate, label, Evaluation: e)));
                var result = evaluator.Evaluate(benchmark.Open(), new EvaluationOptions(SavePredictionsTo: save), relay, cancellation);
                results.Add(result);
                progress?.Report(new DemoProgress(DemoStage.Evaluate, $"{label}: mIoU {result.Scores.MeanIoUPercent:F2}"));
            }
        }
        // Report order: per benchmark, TCL then the baseline.
        return results.OrderBy(r => benchmarks.ToList().FindIndex(b => b.Manifest.Key == r.Dataset)).ThenBy(r => r.Method == "tcl" ? 0 : 1).ToList();
    }

    private static IProgress<TrainingProgress>? Relay(DemoStage stage, IProgress<DemoProgress>? progress) =>
        progress is null ? null : new Forward<TrainingProgress>(t => progress.Report(new DemoProgress(stage, stage.ToString(), Training: t)));

    /// <summary>Forwards synchronously (no SynchronizationContext hop, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class Forward<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
