using System.Diagnostics;
using System.Text.Json.Nodes;
using Tcl.Data;
using static TorchSharp.torch;

namespace Tcl.Training;

/// <summary>
/// Trains an <see cref="ITrainingObjective"/> (spec §3.4–§3.5): per step the LR of the schedule, the objective's
/// phase switch, forward, a check that every loss term is finite, backward, gradient clipping, an AdamW update, a
/// line of <c>metrics.jsonl</c> and a progress report; checkpoints every <c>CheckpointEvery</c> steps and at the end.
/// Deterministic on the CPU given the seeds of the model, the data and the objective: a run resumed from a checkpoint
/// produces the same weights as one that was never interrupted. Every step runs in its own dispose scope, so native
/// memory stays flat.
/// </summary>
public sealed class Trainer : IDisposable
{
    public const string MetricsFileName = "metrics.jsonl";

    private readonly string? _runConfig;

    /// <param name="objective">What to train; its <c>OptimizedParameters</c> go into AdamW.</param>
    /// <param name="config">Steps, LR schedule, optimiser, clipping, checkpointing.</param>
    /// <param name="runConfig">The run's configuration as JSON, stored in every checkpoint (optional).</param>
    public Trainer(ITrainingObjective objective, TrainerConfig config, string? runConfig = null)
    {
        if (config.Steps <= 0) throw new ArgumentOutOfRangeException(nameof(config), config.Steps, "Steps must be positive.");
        Objective = objective;
        Config = config;
        _runConfig = runConfig;
        Schedule = new LrSchedule(config.Schedule, config.BatchSize);
        Optimizer = new AdamW(objective.OptimizedParameters, config.Optimizer);
    }

    public ITrainingObjective Objective { get; }
    public TrainerConfig Config { get; }
    public LrSchedule Schedule { get; }
    public AdamW Optimizer { get; }

    /// <summary>Steps completed so far (the next step to run).</summary>
    public long Step { get; private set; }

    /// <summary>Where the data stream stands after <see cref="Step"/> steps; open the loader here.</summary>
    public DataCursor Cursor { get; private set; } = DataCursor.Start;

    /// <summary>
    /// Restores a run from a checkpoint file, or from the newest checkpoint of a folder. Afterwards open the data at
    /// <see cref="Cursor"/> and call <see cref="Run"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">No checkpoint at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The checkpoint does not fit this run (nothing is changed).</exception>
    public CheckpointInfo Resume(string path)
    {
        var file = Directory.Exists(path)
            ? TrainingCheckpoint.Latest(path) ?? throw new FileNotFoundException($"No checkpoint-*.safetensors in '{path}' to resume from.", path)
            : path;
        var info = TrainingCheckpoint.Restore(file, Objective, Optimizer);
        Step = info.Step;
        Cursor = info.Cursor;
        return info;
    }

    /// <summary>
    /// Runs the remaining steps on <paramref name="data"/> (which must stand at <see cref="Cursor"/>). Cancelling stops
    /// after the step in flight and writes a checkpoint.
    /// </summary>
    /// <exception cref="NonFiniteLossException">A loss term or the gradient norm was not finite; the step was not applied.</exception>
    public TrainingResult Run(IBatchSource data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(Config.OutputDir);
        using var log = new MetricsLog(Path.Combine(Config.OutputDir, MetricsFileName), Step);
        var parameters = Objective.OptimizedParameters.Select(p => p.Parameter).ToList();
        string? lastCheckpoint = null;
        double lastLoss = double.NaN;
        while (Step < Config.Steps)
        {
            long step = Step;
            var stepClock = Stopwatch.StartNew();
            double lr = Schedule.At(step);
            Dictionary<string, double> terms;
            double loss, gradNorm;
            int batchSize;
            using (var scope = NewDisposeScope())
            {
                Objective.BeginStep(step);
                using var batch = data.Next();
                batchSize = batch.Count;
                Optimizer.ZeroGrad();
                var result = Objective.ComputeLoss(batch);
                terms = result.Terms.ToDictionary(kv => kv.Key, kv => (double)kv.Value.item<float>());
                loss = result.Total.item<float>();
                foreach (var (name, value) in terms.Append(new("total", loss)))
                    if (!double.IsFinite(value)) throw new NonFiniteLossException(step, name, value);
                result.Total.backward();
                gradNorm = GradientClipping.ClipByGlobalNorm(parameters, Config.GradClip);
                if (!double.IsFinite(gradNorm)) throw new NonFiniteLossException(step, "grad_norm", gradNorm);
                Optimizer.Step(lr);
                Optimizer.ZeroGrad();
            }
            Step = step + 1;
            Cursor = data.Position;
            lastLoss = loss;
            double seconds = stepClock.Elapsed.TotalSeconds;

            bool last = Step == Config.Steps, cancelled = cancellation.IsCancellationRequested;
            string? checkpoint = null;
            if (last || cancelled || (Config.CheckpointEvery > 0 && Step % Config.CheckpointEvery == 0))
                checkpoint = lastCheckpoint = SaveCheckpoint();
            log.Write(Entry(step, lr, loss, terms, gradNorm, seconds, batchSize, data.Counters, checkpoint));
            progress?.Report(new TrainingProgress(step, Config.Steps, loss, terms, lr, gradNorm, seconds, data.Counters, checkpoint));
            if (cancelled && !last) return new TrainingResult(Step, lastLoss, lastCheckpoint, true, clock.Elapsed);
        }
        return new TrainingResult(Step, lastLoss, lastCheckpoint, false, clock.Elapsed);
    }

    /// <summary>Writes a checkpoint of the current state into the output folder and prunes old ones; returns its path.</summary>
    public string SaveCheckpoint()
    {
        var path = Path.Combine(Config.OutputDir, TrainingCheckpoint.FileName(Step));
        TrainingCheckpoint.Write(path, Objective, Optimizer,
            new CheckpointInfo(TrainingCheckpoint.CurrentVersion, Step, Cursor, new Dictionary<string, long>(), DateTime.UtcNow, _runConfig));
        if (Config.KeepCheckpoints > 0)
        {
            var all = Directory.EnumerateFiles(Config.OutputDir, "checkpoint-*.safetensors").Order(StringComparer.Ordinal).ToList();
            foreach (var old in all.Take(Math.Max(0, all.Count - Config.KeepCheckpoints))) File.Delete(old);
        }
        return path;
    }

    private static JsonObject Entry(long step, double lr, double loss, Dictionary<string, double> terms, double gradNorm,
        double seconds, int batchSize, DataCounters counters, string? checkpoint)
    {
        var termsJson = new JsonObject();
        foreach (var (name, value) in terms) termsJson[name] = value;
        var entry = new JsonObject
        {
            ["step"] = step,
            ["lr"] = lr,
            ["loss"] = loss,
            ["terms"] = termsJson,
            ["grad_norm"] = gradNorm,
            ["seconds"] = seconds,
            ["images_per_s"] = batchSize / Math.Max(seconds, 1e-9),
            ["samples_read"] = counters.Read,
            ["samples_skipped"] = counters.Skipped,
        };
        if (checkpoint is not null) entry["checkpoint"] = Path.GetFileName(checkpoint);
        return entry;
    }

    public void Dispose() => Optimizer.Dispose();
}
