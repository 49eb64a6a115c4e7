using System.Diagnostics;
using System.Text.Json.Nodes;
using Tcl.Data;
using Tcl.IO;
using static TorchSharp.torch;

namespace Tcl.Training;

/// <summary>
/// Trains an <see cref="ITrainingObjective"/> (official <c>do_training</c> in <c>main.py</c>): per step the LR of the
/// schedule, the objective's phase switch, forward, a check that every loss term is finite, backward, gradient
/// clipping, an AdamW update, a line of <c>metrics.jsonl</c> and a progress report; checkpoints every
/// <c>CheckpointEvery</c> steps and at the end. Deterministic on the CPU given the seeds of the model, the data and the
/// objective: a run resumed from a checkpoint produces the same weights as one that was never interrupted. Every step
/// runs in its own dispose scope, so native memory stays flat.
/// </summary>
/// <remarks>
/// One output folder holds one run. The trainer claims its folder (<see cref="StartFresh"/> or <see cref="Resume"/>,
/// or implicitly on the first <see cref="Run"/>) with an OS lock held until it is disposed, so a second run into the
/// same folder is refused; a fresh run is refused where an earlier run's checkpoints or metrics log are, unless told
/// to overwrite them; a resume skips a corrupt newest checkpoint for the newest intact one and refuses a changed recipe
/// unless allowed. What it carried on after is reported as <see cref="FileWarning"/>s.
/// </remarks>
public sealed class Trainer : IDisposable
{
    public const string MetricsFileName = "metrics.jsonl";

    private readonly string? _runConfig;
    private RunFolder? _folder;
    private readonly List<FileWarning> _pendingWarnings = [];

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
    /// Starts a fresh run: claims the output folder and checks that it holds no earlier run (or deletes that run's
    /// checkpoints and metrics log when <paramref name="overwrite"/> is set).
    /// </summary>
    /// <exception cref="OutputFolderException">Another run is writing into the folder, or it holds an earlier run and
    /// <paramref name="overwrite"/> is false; nothing was changed.</exception>
    public void StartFresh(bool overwrite = false, IProgress<FileWarning>? warnings = null)
    {
        if (_folder is not null) throw new InvalidOperationException("The trainer already started (StartFresh or Resume was called).");
        var folder = RunFolder.Claim(Config.OutputDir, warnings);
        try
        {
            folder.PrepareFresh(overwrite, warnings);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
        _folder = folder;
    }

    /// <summary>
    /// Restores a run from a checkpoint file, or from the newest intact checkpoint of a folder: a newer one that
    /// cannot be read is set aside (renamed <c>…</c><see cref="TrainingCheckpoint.CorruptSuffix"/>) with a warning and
    /// the one before it is used. Afterwards open the data at <see cref="Cursor"/> and call <see cref="Run"/>.
    /// </summary>
    /// <param name="path">A checkpoint file, or a run folder.</param>
    /// <param name="allowConfigChange">Continue although the run config differs from the checkpoint's in fields that
    /// change the recipe (<see cref="RunConfigChanges"/>); the differences are reported as warnings.</param>
    /// <param name="warnings">Receives what was skipped or set aside, and allowed config changes.</param>
    /// <exception cref="FileNotFoundException">No checkpoint at <paramref name="path"/>.</exception>
    /// <exception cref="CorruptCheckpointException">The file given, or every checkpoint of the folder, is unreadable.</exception>
    /// <exception cref="RunConfigChangedException">The recipe changed and <paramref name="allowConfigChange"/> is false.</exception>
    /// <exception cref="OutputFolderException">Another run is writing into the output folder.</exception>
    /// <exception cref="InvalidDataException">The checkpoint does not fit this run (nothing is changed).</exception>
    public CheckpointInfo Resume(string path, bool allowConfigChange = false, IProgress<FileWarning>? warnings = null)
    {
        if (_folder is not null) throw new InvalidOperationException("The trainer already started (StartFresh or Resume was called).");
        var folder = RunFolder.Claim(Config.OutputDir, warnings);
        try
        {
            var info = Directory.Exists(path) ? ResumeFromFolder(path, allowConfigChange, warnings) : ResumeFrom(path, allowConfigChange, warnings);
            Step = info.Step;
            Cursor = info.Cursor;
            _folder = folder;
            return info;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    private CheckpointInfo ResumeFromFolder(string dir, bool allowConfigChange, IProgress<FileWarning>? warnings)
    {
        var candidates = TrainingCheckpoint.NewestFirst(dir);
        if (candidates.Count == 0)
            throw new FileNotFoundException($"No checkpoint-*.safetensors in '{dir}' to resume from: start a fresh run instead (without --resume) " +
                                            $"(with --overwrite, in code TrainingStart.Overwrite, when the folder holds the {MetricsFileName} of a run that stopped before its first checkpoint).", dir);
        var corrupt = new List<string>();
        foreach (var file in candidates)
        {
            try
            {
                var info = ResumeFrom(file, allowConfigChange, warnings);
                if (corrupt.Count > 0)
                    warnings?.Report(new FileWarning(file, $"{file}: resuming from this older checkpoint (step {info.Step}) instead of the unreadable newer one(s); " +
                                                           "the steps after it are trained again."));
                return info;
            }
            catch (CorruptCheckpointException e)
            {
                var aside = TrainingCheckpoint.SetAside(file);
                corrupt.Add(file);
                warnings?.Report(new FileWarning(file, $"{e.Message} Set aside as {Path.GetFileName(aside)}; trying the checkpoint before it."));
            }
        }
        throw new CorruptCheckpointException(corrupt[^1], $"{dir}: no intact checkpoint to resume from; every one is unreadable " +
            $"({string.Join(", ", corrupt.Select(Path.GetFileName))}, set aside as *{TrainingCheckpoint.CorruptSuffix}). Start a fresh run with --overwrite (in code TrainingStart.Overwrite).");
    }

    private CheckpointInfo ResumeFrom(string file, bool allowConfigChange, IProgress<FileWarning>? warnings)
    {
        var saved = TrainingCheckpoint.ReadInfo(file);
        if (saved.RunConfig is not null && _runConfig is not null)
        {
            var changes = RunConfigChanges.Significant(RunConfigChanges.Compare(saved.RunConfig, _runConfig));
            if (changes.Count > 0 && !allowConfigChange) throw new RunConfigChangedException(file, changes);
            foreach (var change in changes)
                warnings?.Report(new FileWarning(file, $"{file}: resuming with a changed config field {change} (allowed by --allow-config-change / TrainingStart.AllowConfigChange)."));
        }
        return TrainingCheckpoint.Restore(file, Objective, Optimizer);
    }

    /// <summary>
    /// Runs the remaining steps on <paramref name="data"/> (which must stand at <see cref="Cursor"/>). Cancelling stops
    /// after the step in flight and writes a checkpoint.
    /// </summary>
    /// <exception cref="NonFiniteLossException">A loss term or the gradient norm was not finite; the step was not applied.</exception>
    public TrainingResult Run(IBatchSource data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        if (_folder is null) StartFresh(warnings: new Collect(_pendingWarnings));
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
            var warnings = _pendingWarnings.Concat(data.Counters.TakeWarnings()).ToList();
            _pendingWarnings.Clear();
            progress?.Report(new TrainingProgress(step, Config.Steps, loss, terms, lr, gradNorm, seconds, data.Counters, checkpoint, warnings));
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

    public void Dispose()
    {
        Optimizer.Dispose();
        _folder?.Dispose();   // releases the output folder's lock
    }

    /// <summary>Keeps warnings of an implicit start for the first progress report.</summary>
    private sealed class Collect(List<FileWarning> into) : IProgress<FileWarning>
    {
        public void Report(FileWarning value) => into.Add(value);
    }
}
