using Tcl.Clip.Weights;
using Tcl.Data;
using Tcl.Grounding;
using Tcl.IO;
using static TorchSharp.torch;

namespace Tcl.Training;

/// <summary>
/// A TCL training run assembled from a <see cref="TclTrainConfig"/>: CLIP weights read (architecture inferred) and
/// loaded into the frozen towers, the grounder copied from them, the objective with its seeded Gumbel noise, the
/// trainer, optionally restored from a checkpoint, and the webdataset loader opened where the checkpoint stood.
/// The CLI's <c>tcl train</c> and the notebooks use this one path.
/// </summary>
public sealed class TclTrainingRun : IDisposable
{
    private readonly ImageTextLoader _loader;

    private TclTrainingRun(TclTrainConfig config, TclModel model, TclObjective objective, Trainer trainer,
        ImageTextLoader loader, WeightLoadReport clipReport, CheckpointInfo? resumed)
    {
        Config = config;
        Model = model;
        Objective = objective;
        Trainer = trainer;
        _loader = loader;
        ClipReport = clipReport;
        Resumed = resumed;
    }

    /// <summary>The effective config (ablation applied, paths absolute).</summary>
    public TclTrainConfig Config { get; }
    public TclModel Model { get; }
    public TclObjective Objective { get; }
    public Trainer Trainer { get; }

    /// <summary>What was loaded from the CLIP file.</summary>
    public WeightLoadReport ClipReport { get; }

    /// <summary>The checkpoint the run continues from, if any.</summary>
    public CheckpointInfo? Resumed { get; }

    /// <summary>The training data (counters, description).</summary>
    public IBatchSource Data => _loader;

    /// <summary>One line about the training data (shards, folder).</summary>
    public string DataDescription => _loader.Dataset.Description;

    /// <param name="config">The run's config (from <see cref="TclTrainConfig.Load"/> or built in code).</param>
    /// <param name="start">Fresh (default; refused where the output folder holds a run unless overwriting) or resumed.</param>
    /// <param name="warnings">Receives what was cleaned up, set aside or allowed on the way (see <see cref="Trainer.Resume"/>).</param>
    /// <exception cref="WeightLoadException">The CLIP file is unreadable or not a ViT CLIP.</exception>
    /// <exception cref="OutputFolderException">The output folder is in use, or holds a run and this is a fresh start.</exception>
    /// <exception cref="CorruptCheckpointException">No intact checkpoint to resume from.</exception>
    /// <exception cref="RunConfigChangedException">The recipe differs from the checkpoint's.</exception>
    /// <exception cref="InvalidDataException">The checkpoint does not fit this model.</exception>
    public static TclTrainingRun Create(TclTrainConfig config, TrainingStart? start = null, IProgress<FileWarning>? warnings = null)
    {
        start ??= TrainingStart.Fresh;
        config = config.Resolve();
        manual_seed(config.Seed);   // decoder init (the grounder block and image_proj are copies of CLIP)
        TclModel? model = null;
        Trainer? trainer = null;
        try
        {
            model = TclWeights.CreateFromClip(config.ClipWeights, out var report, config.VisionHeads, config.TextHeads, config.Grounder, config.Losses);
            // The run config stored in every checkpoint names the heads actually built, so evaluation never guesses them.
            config = config with { VisionHeads = model.Clip.Vision.Heads, TextHeads = model.Clip.Text.Heads };
            var objective = new TclObjective(model, config.DecoderOnlySteps, config.Seed);
            trainer = new Trainer(objective, config.ToTrainerConfig(), config.ToJson());
            CheckpointInfo? resumed = null;
            if (start.ResumeFrom is null) trainer.StartFresh(start.Overwrite, warnings);
            else resumed = trainer.Resume(start.ResumeFrom, start.AllowConfigChange, warnings);
            var loader = ImageTextLoader.FromShards(config.Shards, config.Augment, config.ToLoaderConfig(), trainer.Cursor);
            return new TclTrainingRun(config, model, objective, trainer, loader, report, resumed);
        }
        catch
        {
            trainer?.Dispose();
            model?.Dispose();
            throw;
        }
    }

    /// <summary>Trains to <see cref="TclTrainConfig.Steps"/> (see <see cref="Trainer.Run"/>).</summary>
    public TrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default) =>
        Trainer.Run(_loader, progress, cancellation);

    public void Dispose()
    {
        _loader.Dispose();
        Trainer.Dispose();
        Model.Dispose();
    }
}
