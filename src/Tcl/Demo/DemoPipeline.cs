using System.Diagnostics;
using System.Text.Json.Nodes;
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

/// <summary>What the training stages produced: the world's benchmarks, the pre-trained CLIP, the trained TCL.</summary>
/// <param name="Benchmarks">The synthetic benchmarks, in report order.</param>
/// <param name="ClipTraining">How CLIP pre-training ended.</param>
/// <param name="ClipProbe">What the pre-trained CLIP names zero-shot on the test scenes.</param>
/// <param name="TclTraining">How TCL training ended (null when only CLIP was prepared).</param>
/// <param name="Stages">Wall time per stage run (reused stages are marked and take no time).</param>
public sealed record DemoTraining(
    IReadOnlyList<SyntheticBenchmarkLayout> Benchmarks, TrainingResult ClipTraining, IReadOnlyList<ZeroShotProbeResult> ClipProbe,
    TrainingResult? TclTraining, IReadOnlyList<DemoStageTime> Stages);

/// <summary>What the world stage records in its stamp.</summary>
internal sealed record WorldStageOutput(int TrainScenes, IReadOnlyList<string> Benchmarks);

/// <summary>What the CLIP stage records in its stamp.</summary>
internal sealed record ClipStageOutput(TrainingResult Training, IReadOnlyList<ZeroShotProbeResult> Probe);

/// <summary>
/// The embedded default end to end (DESIGN.md "The embedded default"): write the synthetic world as webdataset
/// shards and VOC-like benchmarks; pre-train a small CLIP on the shards with the contrastive loss; train TCL on the
/// frozen CLIP with the official losses and phases; evaluate TCL and the training-free MaskCLIP baseline on the same
/// CLIP with the protocol code on every synthetic benchmark; write a report. Every stage reads what the previous one
/// wrote through the real file formats and loaders, as a run on CC3M and the 8 benchmarks would.
/// With <c>reuse</c>, a stage whose folder holds a <see cref="StageStamp"/> with the same inputs is not run again
/// (notebooks share one trained world this way; the ablation study reuses the world and CLIP across its rows).
/// </summary>
public sealed class DemoPipeline(DemoProfile profile, string outputDir)
{
    /// <summary>The profile.</summary>
    public DemoProfile Profile { get; } = profile with { World = profile.World with { Seed = profile.Seed } };

    /// <summary>Where the files go.</summary>
    public DemoLayout Layout { get; } = new(Path.GetFullPath(outputDir));

    /// <summary>Runs every stage; cancelling stops at the next step or image (files of finished stages stay).</summary>
    /// <param name="progress">Stage messages, training steps, evaluated images.</param>
    /// <param name="cancellation">Stops at the next step or image.</param>
    /// <param name="reuse">Reuse the world, CLIP and TCL stages when their stamps match the profile.</param>
    public DemoResult Run(IProgress<DemoProgress>? progress = null, CancellationToken cancellation = default, bool reuse = false)
    {
        var training = Train(progress, cancellation, reuse);
        var stages = training.Stages.ToList();
        // Both methods are loaded once, for the evaluation and for the report's query masks.
        LoadedMethod? tclMethod = null, baseline = null;
        try
        {
            var results = Timed(stages, DemoStage.Evaluate, progress, cancellation, () =>
            {
                if (Directory.Exists(Layout.Report)) Directory.Delete(Layout.Report, recursive: true);   // no stale predictions
                tclMethod = LoadTcl();
                baseline = LoadMaskClip();
                return Evaluate(training.Benchmarks, [tclMethod, baseline], Path.Combine(Layout.Report, "predictions"), progress, cancellation);
            });
            var result = new DemoResult(Profile, Layout, training.Benchmarks, results, stages, training.ClipTraining, training.TclTraining!, training.ClipProbe);
            Timed(stages, DemoStage.Report, progress, cancellation, () => { DemoReport.Write(result, progress, tclMethod, baseline); return 0; });
            return result;
        }
        finally
        {
            tclMethod?.Dispose();
            baseline?.Dispose();
        }
    }

    /// <summary>The training stages only (world, CLIP, TCL), e.g. for notebooks that take the trained model apart.</summary>
    public DemoTraining Train(IProgress<DemoProgress>? progress = null, CancellationToken cancellation = default, bool reuse = false)
    {
        var prepared = PrepareClip(progress, cancellation, reuse);
        var stages = prepared.Stages.ToList();
        var tcl = TrainTcl(Profile.Tcl, Layout.TclRun, stages, progress, cancellation, reuse);
        return prepared with { TclTraining = tcl, Stages = stages };
    }

    /// <summary>The world and the pre-trained CLIP (stages <see cref="DemoStage.World"/> and <see cref="DemoStage.Clip"/>).</summary>
    public DemoTraining PrepareClip(IProgress<DemoProgress>? progress = null, CancellationToken cancellation = default, bool reuse = false)
    {
        var stages = new List<DemoStageTime>();
        var benchmarks = BenchmarkLayouts();
        Reusable(stages, DemoStage.World, Layout.DataRoot, WorldInputs, reuse, progress, cancellation,
            () => WriteWorld(progress), _ => benchmarks.All(b => File.Exists(b.ManifestPath)));
        var clip = Reusable(stages, DemoStage.Clip, Layout.ClipRun, ClipStageInputs, reuse, progress, cancellation,
            () => PretrainClip(progress, cancellation), _ => File.Exists(Layout.ClipWeights));
        return new DemoTraining(benchmarks, clip.Training, clip.Probe, null, stages);
    }

    /// <summary>
    /// Trains TCL with <paramref name="config"/> (CLIP weights, shards, output folder and seed are filled in) on this
    /// pipeline's world and CLIP into <paramref name="runDir"/>; with <paramref name="reuse"/> a finished run with the
    /// same inputs is kept. <see cref="PrepareClip"/> must have run.
    /// </summary>
    /// <param name="config">The TCL recipe, e.g. <c>Profile.Tcl with { Ablation = "E" }</c>.</param>
    /// <param name="runDir">The run's folder (metrics, checkpoint, stamp).</param>
    /// <param name="progress">Training steps, labelled <paramref name="label"/> (default the stage name).</param>
    /// <param name="cancellation">Stops at the next step.</param>
    /// <param name="reuse">Keep a finished run with the same inputs.</param>
    /// <param name="label">Message of the progress reports, e.g. <c>ablation E</c>.</param>
    public TrainingResult TrainTcl(TclTrainConfig config, string runDir, IProgress<DemoProgress>? progress = null,
        CancellationToken cancellation = default, bool reuse = false, string? label = null) =>
        TrainTcl(config, runDir, [], progress, cancellation, reuse, label);

    private TrainingResult TrainTcl(TclTrainConfig config, string runDir, List<DemoStageTime> stages, IProgress<DemoProgress>? progress,
        CancellationToken cancellation, bool reuse, string? label = null)
    {
        var full = FillTcl(config, runDir);
        return Reusable(stages, DemoStage.Tcl, runDir, TclInputs(config), reuse, progress, cancellation, () =>
        {
            using var run = TclTrainingRun.Create(full);
            var result = run.Run(Relay(DemoStage.Tcl, progress, label), cancellation);
            cancellation.ThrowIfCancellationRequested();
            return result;
        }, _ => TrainingCheckpoint.Latest(runDir) is not null);
    }

    /// <summary>The TCL checkpoint the run ends with.</summary>
    public string TclCheckpoint => CheckpointIn(Layout.TclRun);

    /// <summary>Loads TCL (CLIP + the trained grounder of <paramref name="runDir"/>, default the pipeline's own run) in eval mode.</summary>
    public LoadedMethod LoadTcl(string? runDir = null) =>
        SegmentationMethods.Tcl(Layout.ClipWeights, CheckpointIn(runDir ?? Layout.TclRun), Profile.Protocol, Profile.Clip.Model.Vision.Heads, Profile.Clip.Model.Text.Heads);

    /// <summary>Loads the MaskCLIP baseline on the same CLIP.</summary>
    public LoadedMethod LoadMaskClip() => SegmentationMethods.MaskClip(Layout.ClipWeights, Profile.Clip.Model.Vision.Heads, Profile.Clip.Model.Text.Heads);

    /// <summary>
    /// The inputs a TCL run with <paramref name="config"/> depends on (for stamps of stages built on it). The paths the
    /// pipeline fills in are left out — they follow from the layout — so a copied or moved output folder stays reusable.
    /// </summary>
    public JsonNode TclInputs(TclTrainConfig config) =>
        StageStamp.Inputs(new { clip = ClipStageInputs, tcl = FillTcl(config, "") with { ClipWeights = "", Shards = [] } });

    /// <summary>The benchmarks of this profile's world (written by the world stage).</summary>
    public IReadOnlyList<SyntheticBenchmarkLayout> BenchmarkLayouts() =>
        SyntheticLabeling.All.Select(kind => SyntheticBenchmark.Layout(Layout.EvalRoot, kind, Profile.World, Profile.EvalScenes)).ToList();

    /// <summary>
    /// Evaluates each method on each benchmark with the profile's protocol; results per benchmark in
    /// <paramref name="benchmarks"/> order, methods in the given order. Predictions are saved under
    /// <c>&lt;savePredictionsUnder&gt;/&lt;method&gt;/&lt;benchmark&gt;/</c> when it is set.
    /// </summary>
    public List<BenchmarkResult> Evaluate(IReadOnlyList<SyntheticBenchmarkLayout> benchmarks, IReadOnlyList<LoadedMethod> methods,
        string? savePredictionsUnder, IProgress<DemoProgress>? progress = null, CancellationToken cancellation = default)
    {
        var results = new List<BenchmarkResult>();
        foreach (var method in methods)
        {
            var evaluator = new BenchmarkEvaluator(method.Scorer, method.TextTower, Profile.Protocol);
            foreach (var benchmark in benchmarks)
            {
                string key = benchmark.Manifest.Key, label = $"{method.Scorer.Name} on {key}";
                var save = savePredictionsUnder is null ? null : Path.Combine(savePredictionsUnder, method.Scorer.Name, key);
                var relay = progress is null ? null : new Forward<EvaluationProgress>(e => progress.Report(new DemoProgress(DemoStage.Evaluate, label, Evaluation: e)));
                var result = evaluator.Evaluate(benchmark.Open(), new EvaluationOptions(SavePredictionsTo: save), relay, cancellation);
                results.Add(result);
                progress?.Report(new DemoProgress(DemoStage.Evaluate, $"{label}: mIoU {result.Scores.MeanIoUPercent:F2}"));
            }
        }
        var benchmarkOrder = benchmarks.Select((b, i) => (b.Manifest.Key, i)).ToDictionary(x => x.Key, x => x.i);
        var methodOrder = methods.Select((m, i) => (m.Scorer.Name, i)).ToDictionary(x => x.Name, x => x.i);
        return results.OrderBy(r => benchmarkOrder[r.Dataset]).ThenBy(r => methodOrder[r.Method]).ToList();
    }

    /// <summary>The inputs the pre-trained CLIP depends on (world and CLIP recipe), for stamps of stages built on it.</summary>
    public JsonNode ClipInputs() => StageStamp.Inputs(ClipStageInputs);

    private object WorldInputs => new { seed = Profile.Seed, world = Profile.World, Profile.TrainScenes, Profile.ShardSize, Profile.EvalScenes };

    private object ClipStageInputs => new { world = WorldInputs, clip = Profile.Clip };

    private TclTrainConfig FillTcl(TclTrainConfig config, string runDir)
    {
        var heads = Profile.Clip.Model;
        return config with
        {
            ClipWeights = Layout.ClipWeights, VisionHeads = heads.Vision.Heads, TextHeads = heads.Text.Heads,
            Shards = [Layout.TrainShards], OutputDir = runDir, Seed = Profile.Seed,
        };
    }

    /// <summary>
    /// Runs <paramref name="body"/> in a cleared <paramref name="folder"/> and stamps it, unless reuse is on and the
    /// folder's stamp has the same inputs and <paramref name="intact"/> holds.
    /// </summary>
    private T Reusable<T>(List<DemoStageTime> stages, DemoStage stage, string folder, object inputs, bool reuse,
        IProgress<DemoProgress>? progress, CancellationToken cancellation, Func<T> body, Func<T, bool> intact) where T : class
    {
        var key = inputs as JsonNode ?? StageStamp.Inputs(inputs);
        if (reuse && StageStamp.Read<T>(folder, key) is { } kept && intact(kept))
        {
            stages.Add(new DemoStageTime(stage, 0, Reused: true));
            progress?.Report(new DemoProgress(stage, $"{stage} reused from {folder} (same profile)"));
            return kept;
        }
        return Timed(stages, stage, progress, cancellation, () =>
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            var value = body();
            StageStamp.Write(folder, key, value);
            return value;
        });
    }

    private static T Timed<T>(List<DemoStageTime> stages, DemoStage stage, IProgress<DemoProgress>? progress, CancellationToken cancellation, Func<T> body)
    {
        cancellation.ThrowIfCancellationRequested();
        var clock = Stopwatch.StartNew();
        var value = body();
        stages.Add(new DemoStageTime(stage, clock.Elapsed.TotalSeconds));
        progress?.Report(new DemoProgress(stage, $"{stage} done in {clock.Elapsed.TotalSeconds:F1} s"));
        return value;
    }

    private WorldStageOutput WriteWorld(IProgress<DemoProgress>? progress)
    {
        var world = Profile.World;
        progress?.Report(new DemoProgress(DemoStage.World, $"writing {Profile.TrainScenes:N0} training scenes as webdataset shards"));
        SyntheticShards.Write(Layout.TrainShards, world, Profile.TrainScenes, Profile.ShardSize);
        foreach (var kind in SyntheticLabeling.All)
        {
            SyntheticBenchmark.Write(Layout.EvalRoot, kind, world, Profile.EvalScenes);
            progress?.Report(new DemoProgress(DemoStage.World, $"wrote benchmark {SyntheticLabeling.Key(kind)} ({Profile.EvalScenes} scenes)"));
        }
        return new WorldStageOutput(Profile.TrainScenes, SyntheticLabeling.All.Select(SyntheticLabeling.Key).ToList());
    }

    private ClipStageOutput PretrainClip(IProgress<DemoProgress>? progress, CancellationToken cancellation)
    {
        var config = Profile.Clip with { Shards = [Layout.TrainShards], OutputDir = Layout.ClipRun, Seed = Profile.Seed };
        using var run = ClipPretrainingRun.Create(config);
        var result = run.Run(Relay(DemoStage.Clip, progress), cancellation);
        cancellation.ThrowIfCancellationRequested();
        run.Export(Layout.ClipWeights);
        var probe = ClipZeroShotProbe.Run(run.Model, Profile.World, Profile.EvalScenes);
        progress?.Report(new DemoProgress(DemoStage.Clip, "zero-shot on test scenes: " +
            string.Join(", ", probe.Select(p => $"{p.Attribute} {p.Accuracy * 100:F0} % (chance {p.Chance * 100:F0} %)"))));
        return new ClipStageOutput(result, probe);
    }

    private static string CheckpointIn(string runDir) => TrainingCheckpoint.Latest(runDir)
        ?? throw new FileNotFoundException($"No TCL checkpoint in '{runDir}'; run the TCL stage first.");

    private static IProgress<TrainingProgress>? Relay(DemoStage stage, IProgress<DemoProgress>? progress, string? label = null) =>
        progress is null ? null : new Forward<TrainingProgress>(t => progress.Report(new DemoProgress(stage, label ?? stage.ToString(), Training: t)));

    /// <summary>Forwards synchronously (no SynchronizationContext hop, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class Forward<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
