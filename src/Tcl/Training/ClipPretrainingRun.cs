using Tcl.Clip;
using Tcl.Clip.Weights;
using Tcl.Data;
using static TorchSharp.torch;

namespace Tcl.Training;

/// <summary>
/// A CLIP pre-training run assembled from a <see cref="ClipPretrainConfig"/>: a freshly initialised (seeded)
/// <see cref="ClipModel"/>, the symmetric contrastive objective, the trainer and the webdataset loader — the same
/// trainer, loader and checkpoint code as TCL training. <see cref="Export"/> writes the result as CLIP weights that
/// <see cref="ClipWeights"/> (and so TCL training and evaluation) reads.
/// </summary>
public sealed class ClipPretrainingRun : IDisposable
{
    private readonly ImageTextLoader _loader;

    private ClipPretrainingRun(ClipPretrainConfig config, ClipModel model, Trainer trainer, ImageTextLoader loader)
    {
        Config = config;
        Model = model;
        Trainer = trainer;
        _loader = loader;
    }

    public ClipPretrainConfig Config { get; }
    public ClipModel Model { get; }
    public Trainer Trainer { get; }

    /// <summary>The training data (counters, description).</summary>
    public IBatchSource Data => _loader;

    /// <param name="config">The run's config.</param>
    /// <param name="start">Fresh (default; refused where the output folder holds a run unless overwriting) or resumed.</param>
    /// <param name="warnings">Receives what was cleaned up, set aside or allowed on the way.</param>
    /// <exception cref="InvalidDataException">A config value is unusable, or the checkpoint does not fit.</exception>
    /// <exception cref="OutputFolderException">The output folder is in use, or holds a run and this is a fresh start.</exception>
    public static ClipPretrainingRun Create(ClipPretrainConfig config, TrainingStart? start = null, IProgress<Tcl.IO.FileWarning>? warnings = null)
    {
        start ??= TrainingStart.Fresh;
        config.Validate("CLIP pre-training config");
        manual_seed(config.Seed);
        ClipModel? model = null;
        Trainer? trainer = null;
        try
        {
            model = new ClipModel(config.Model);
            var objective = new ClipPretrainingObjective(model);
            trainer = new Trainer(objective, config.ToTrainerConfig(), config.ToJson());
            if (start.ResumeFrom is null) trainer.StartFresh(start.Overwrite, warnings);
            else trainer.Resume(start.ResumeFrom, start.AllowConfigChange, warnings);
            var loader = ImageTextLoader.FromShards(config.Shards, config.Augment, config.ToLoaderConfig(), trainer.Cursor);
            return new ClipPretrainingRun(config, model, trainer, loader);
        }
        catch
        {
            trainer?.Dispose();
            model?.Dispose();
            throw;
        }
    }

    /// <summary>Trains to <see cref="ClipPretrainConfig.Steps"/> (see <see cref="Trainer.Run"/>).</summary>
    public TrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default) =>
        Trainer.Run(_loader, progress, cancellation);

    /// <summary>Writes the model as CLIP safetensors (OpenAI names; head counts in the metadata).</summary>
    public void Export(string path) => ClipWeightsWriter.WriteSafetensors(Model, path);

    public void Dispose()
    {
        _loader.Dispose();
        Trainer.Dispose();
        Model.Dispose();
    }
}
