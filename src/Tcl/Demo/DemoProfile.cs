using Tcl.Data.Synthetic;
using Tcl.Data.Transforms;
using Tcl.Evaluation;
using Tcl.IO;
using Tcl.Training;

namespace Tcl.Demo;

/// <summary>
/// Everything that sizes a <c>tcl demo</c> run: the world, how much of it is written, the CLIP pre-training and TCL
/// training recipes and the evaluation. Presets are values: <see cref="Full"/> (the embedded default, minutes on two
/// CPU cores) and <see cref="Quick"/> (every stage, tiny, for CI). Paths inside the two training configs are filled
/// in by <see cref="DemoPipeline"/>.
/// </summary>
public sealed record DemoProfile
{
    /// <summary>Profile name, written into the report.</summary>
    public string Name { get; init; } = "full";

    /// <summary>Seed of the world, both trainings and the evaluation queries; the same seed gives the same report numbers.</summary>
    public int Seed { get; init; }

    /// <summary>The synthetic world (its own seed is replaced by <see cref="Seed"/>).</summary>
    public SyntheticWorldConfig World { get; init; } = SyntheticWorldConfig.Default;

    /// <summary>Training scenes written as webdataset shards (read in epochs by both trainings).</summary>
    public int TrainScenes { get; init; } = 30_000;

    /// <summary>Samples per shard.</summary>
    public int ShardSize { get; init; } = 5_000;

    /// <summary>Test scenes per synthetic benchmark.</summary>
    public int EvalScenes { get; init; } = 200;

    /// <summary>CLIP pre-training from scratch (shards and output folder are set by the pipeline).</summary>
    public ClipPretrainConfig Clip { get; init; } = new()
    {
        BatchSize = 128, Steps = 360, CheckpointEvery = 0,
        Schedule = new LrScheduleConfig(BaseLr: 3.2e-2, MinLr: 3.2e-4, WarmupSteps: 36, TotalSteps: 360, WarmupStartFactor: 0.01),
    };

    /// <summary>TCL training on the frozen CLIP (CLIP weights, shards and output folder are set by the pipeline): the
    /// official losses, phases and schedule shape, scaled to the run's length.</summary>
    public TclTrainConfig Tcl { get; init; } = ScaledTcl(steps: 220, batch: 32, peakLr: 1e-3);

    /// <summary>Evaluation protocol (the official one scaled to 64-px images).</summary>
    public EvaluationProtocol Protocol { get; init; } = EvaluationProtocol.Synthetic;

    /// <summary>Test scenes shown with overlays in the report.</summary>
    public int OverlayScenes { get; init; } = 4;

    /// <summary>Free-form queries overlaid on every shown scene besides its own objects.</summary>
    public IReadOnlyList<string> FreeFormQueries { get; init; } = ["something purple", "the zorblat", "grass", "a striped shape"];

    /// <summary>The embedded default.</summary>
    public static DemoProfile Full { get; } = new();

    /// <summary>Every stage at toy size (CI; numbers mean nothing).</summary>
    public static DemoProfile Quick { get; } = new()
    {
        Name = "quick",
        TrainScenes = 1_024,
        ShardSize = 512,
        EvalScenes = 12,
        Clip = new ClipPretrainConfig
        {
            BatchSize = 64, Steps = 40, CheckpointEvery = 0,
            Schedule = new LrScheduleConfig(BaseLr: 1.6e-2, MinLr: 1.6e-4, WarmupSteps: 5, TotalSteps: 40, WarmupStartFactor: 0.01),
        },
        Tcl = ScaledTcl(steps: 24, batch: 16, peakLr: 1e-3),
        OverlayScenes = 2,
        FreeFormQueries = ["something purple", "the zorblat"],
    };

    /// <summary>The named presets.</summary>
    public static IReadOnlyList<DemoProfile> Presets { get; } = [Full, Quick];

    /// <summary>The preset named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the presets.</exception>
    public static DemoProfile Get(string name) =>
        Presets.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown demo profile '{name}': expected one of {string.Join(", ", Presets.Select(p => p.Name))}.", nameof(name));

    /// <summary>The profile as JSON (snake_case, every field), the format <see cref="Load"/> reads.</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, ConfigJson.Options);

    /// <summary>A preset name (<c>full</c>, <c>quick</c>) or a profile JSON file (e.g. an edited <c>tcl demo --print-profile</c>).</summary>
    /// <exception cref="ArgumentException">Unknown preset name.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a usable profile; the message names the file and the field.</exception>
    public static DemoProfile Load(string nameOrFile)
    {
        if (!nameOrFile.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return Get(nameOrFile);
        var profile = ConfigJson.Read<DemoProfile>(nameOrFile, "Demo profile");
        try
        {
            profile.World.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{nameOrFile}: field 'world': {e.Message}", e);
        }
        if (profile.TrainScenes < profile.Clip.BatchSize || profile.ShardSize < 1 || profile.EvalScenes < 1)
            throw new InvalidDataException($"{nameOrFile}: fields 'train_scenes', 'shard_size', 'eval_scenes': expected train_scenes ≥ clip.batch_size and positive sizes.");
        return profile;
    }

    /// <summary>
    /// The official TCL recipe scaled to <paramref name="steps"/> steps: the same losses; the decoder-only phase for the
    /// first 60 % (official 30,000 of 50,000); linear warm-up over the first 30 % (15,000 of 50,000) then cosine to
    /// min LR = peak × 4e-5 / 3e-4; base LR chosen so that the peak is <paramref name="peakLr"/> at this batch;
    /// the official augmentations at 64 px.
    /// </summary>
    public static TclTrainConfig ScaledTcl(long steps, int batch, double peakLr)
    {
        var official = LrScheduleConfig.Official;
        double baseLr = peakLr * official.ReferenceBatch / batch;
        return new TclTrainConfig
        {
            BatchSize = batch,
            Steps = steps,
            DecoderOnlySteps = (long)Math.Round(steps * 0.6),
            Schedule = official with
            {
                BaseLr = baseLr,
                MinLr = baseLr * official.MinLr / official.BaseLr,
                WarmupSteps = (long)Math.Round(steps * 0.3),
                TotalSteps = Math.Max(steps - 1, 1),
            },
            Augment = TrainAugmentConfig.Official with { ImageSize = 64 },
            ShuffleBuffer = 2_000,
            CheckpointEvery = 0,
            KeepCheckpoints = 1,
        };
    }
}
