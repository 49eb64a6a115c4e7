using System.Text.Json;
using Tcl.Data;
using Tcl.Data.Transforms;
using Tcl.Grounding;
using Tcl.IO;

namespace Tcl.Training;

/// <summary>
/// Everything a TCL training run needs, as one JSON file (<c>tcl train --config FILE</c>). The defaults are the
/// official recipe (<c>configs/tcl.yml</c>) except where a single CPU process needs otherwise (batch, shuffle buffer).
/// Relative paths are resolved against the folder of the config file.
/// </summary>
public sealed record TclTrainConfig
{
    /// <summary>CLIP weights (OpenAI <c>ViT-B-16.pt</c>, a state dict, or safetensors); the architecture is read from them.</summary>
    public string ClipWeights { get; init; } = "";

    /// <summary>Image-tower heads when they are not width / 64 (no CLIP file stores them; ViT-B/16 needs nothing).</summary>
    public int? VisionHeads { get; init; }

    /// <summary>Text-tower heads when they are not width / 64.</summary>
    public int? TextHeads { get; init; }

    /// <summary>Webdataset shards: paths, brace patterns (<c>cc3m/gcc-train-{000000..000347}.tar</c>), folders or globs.</summary>
    public IReadOnlyList<string> Shards { get; init; } = [];

    /// <summary>Ablation row A–H (<see cref="AblationPresets"/>); when set it supplies <see cref="Losses"/> and <see cref="Grounder"/>.</summary>
    public string? Ablation { get; init; }

    /// <summary>Loss terms and weights (official TCL unless <see cref="Ablation"/> is set).</summary>
    public TclLossConfig Losses { get; init; } = TclLossConfig.Tcl;

    /// <summary>Grounder architecture (<c>ie_freeze</c>, decoder).</summary>
    public GrounderConfig Grounder { get; init; } = new();

    /// <summary>Images per step (official: 64 per GPU × 16 GPUs = 1,024); also scales the LR.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Optimiser steps (official 50,001: steps 0…50,000).</summary>
    public long Steps { get; init; } = 50_001;

    /// <summary>Steps with the grounder block frozen (<c>ust_steps</c>, 30,000).</summary>
    public long DecoderOnlySteps { get; init; } = 30_000;

    /// <summary>LR schedule (base LRs per 4,096 images).</summary>
    public LrScheduleConfig Schedule { get; init; } = LrScheduleConfig.Official;

    /// <summary>AdamW hyper-parameters.</summary>
    public AdamWConfig Optimizer { get; init; } = new();

    /// <summary>Gradient clipping norm (5.0).</summary>
    public double GradClip { get; init; } = 5.0;

    /// <summary>Training augmentation (official <c>build_img_transform</c>: timm 0.6.7
    /// <c>create_transform</c>).</summary>
    public TrainAugmentConfig Augment { get; init; } = TrainAugmentConfig.Official;

    /// <summary>Records in the streaming shuffle buffer (official 40,000; memory grows with it).</summary>
    public int ShuffleBuffer { get; init; } = 1000;

    /// <summary>Batches decoded ahead on a background thread (0 = none; results do not depend on it).</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>Seed of model initialisation, shard order, shuffling, augmentation and Gumbel noise.</summary>
    public int Seed { get; init; }

    /// <summary>Folder of checkpoints and <c>metrics.jsonl</c>.</summary>
    public string OutputDir { get; init; } = "runs/tcl";

    /// <summary>Steps between checkpoints (the last step is always saved).</summary>
    public int CheckpointEvery { get; init; } = 5_000;

    /// <summary>Checkpoints kept (0 = all).</summary>
    public int KeepCheckpoints { get; init; } = 3;


    /// <summary>The effective config: the ablation preset applied.</summary>
    public TclTrainConfig Resolve()
    {
        if (Ablation is null) return this;
        var preset = AblationPresets.Get(Ablation);
        return this with { Ablation = preset.Name, Losses = preset.Losses, Grounder = preset.Grounder };
    }

    /// <summary>The trainer's part.</summary>
    public TrainerConfig ToTrainerConfig() =>
        new(Steps, BatchSize, Schedule, Optimizer, GradClip, OutputDir, CheckpointEvery, KeepCheckpoints);

    /// <summary>The loader's part.</summary>
    public ImageTextLoaderConfig ToLoaderConfig() => new(BatchSize, ShuffleBuffer, Seed, Prefetch);

    public string ToJson() => JsonSerializer.Serialize(this, ConfigJson.Options);

    /// <summary>Reads a config file, resolves its relative paths and checks it.</summary>
    /// <exception cref="InvalidDataException">Unreadable JSON, an unknown field or a bad value; the message names the file and the field.</exception>
    public static TclTrainConfig Load(string path)
    {
        var config = ConfigJson.Read<TclTrainConfig>(path, "Training config");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Abs(string p) => p.Length == 0 || Path.IsPathRooted(p) ? p : Path.GetFullPath(Path.Combine(dir, p));
        config = config with { ClipWeights = Abs(config.ClipWeights), Shards = config.Shards.Select(Abs).ToList(), OutputDir = Abs(config.OutputDir) };
        config.Validate(path);
        return config;
    }

    /// <summary>Checks every value a run cannot start with.</summary>
    /// <exception cref="InvalidDataException">The first bad field, named, with what was expected.</exception>
    public void Validate(string source)
    {
        void Require(bool ok, string field, string expected)
        {
            if (!ok) throw new InvalidDataException($"{source}: field '{field}': expected {expected}.");
        }
        Require(ClipWeights.Length > 0, "clip_weights", "the path of a CLIP weight file (e.g. ViT-B-16.pt)");
        Require(File.Exists(ClipWeights), "clip_weights", $"an existing file, but '{ClipWeights}' does not exist");
        Require(Shards.Count > 0, "shards", "at least one webdataset shard path or pattern");
        Require(BatchSize >= 2, "batch_size", $"at least 2 (contrastive losses need negatives), got {BatchSize}");
        Require(Steps > 0, "steps", $"a positive number, got {Steps}");
        Require(DecoderOnlySteps >= 0, "decoder_only_steps", $"0 or more, got {DecoderOnlySteps}");
        Require(Schedule.WarmupSteps >= 0 && Schedule.WarmupSteps < Schedule.TotalSteps, "schedule", $"0 ≤ warmup_steps < total_steps, got {Schedule.WarmupSteps} and {Schedule.TotalSteps}");
        Require(Schedule.BaseLr > 0 && Schedule.MinLr >= 0, "schedule", "base_lr > 0 and min_lr ≥ 0");
        Require(GradClip >= 0, "grad_clip", $"0 (off) or a positive norm, got {GradClip}");
        Require(ShuffleBuffer >= 0, "shuffle_buffer", $"0 or more, got {ShuffleBuffer}");
        Require(Prefetch >= 0, "prefetch", $"0 or more, got {Prefetch}");
        Require(CheckpointEvery >= 0, "checkpoint_every", $"0 or more, got {CheckpointEvery}");
        Require(Losses.ImageTcl + Losses.FeatureTcl + Losses.Area + Losses.TotalVariation + Losses.Contrastive > 0, "losses", "at least one term with a positive weight");
        if (Ablation is not null)
            Require(AblationPresets.All.Any(p => string.Equals(p.Name, Ablation, StringComparison.OrdinalIgnoreCase)), "ablation", $"one of A–H, got '{Ablation}'");
        try { Augment.Validate(); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{source}: field 'augment': {e.Message}", e);
        }
    }
}
