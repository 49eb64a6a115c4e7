using System.Text.Json;
using Tcl.Clip;
using Tcl.Data;
using Tcl.Data.Transforms;
using Tcl.IO;

namespace Tcl.Training;

/// <summary>
/// A CLIP pre-training run from scratch on image-caption shards (the stand-in for OpenAI's CLIP on the synthetic
/// world): architecture, data, optimisation. Defaults are a small model on 64-px images with open_clip-like
/// optimisation (AdamW β₂ 0.98, weight decay 0.2, warm-up then cosine).
/// </summary>
public sealed record ClipPretrainConfig
{
    /// <summary>The architecture (<see cref="ClipPresets.SyntheticSmall"/>).</summary>
    public ClipConfig Model { get; init; } = ClipPresets.SyntheticSmall;

    /// <summary>Webdataset shards: paths, brace patterns, folders or globs.</summary>
    public IReadOnlyList<string> Shards { get; init; } = [];

    /// <summary>Pairs per step; every other pair of the batch is a negative, so larger is better for contrastive learning.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Optimiser steps.</summary>
    public long Steps { get; init; } = 2_000;

    /// <summary>LR schedule; <see cref="LrScheduleConfig.BaseLr"/> is per <see cref="LrScheduleConfig.ReferenceBatch"/> images.</summary>
    public LrScheduleConfig Schedule { get; init; } = new(BaseLr: 1.6e-2, MinLr: 1.6e-4, WarmupSteps: 200, TotalSteps: 2_000, WarmupStartFactor: 0.01);

    /// <summary>AdamW (open_clip: β₂ 0.98, ε 1e-6, weight decay 0.2).</summary>
    public AdamWConfig Optimizer { get; init; } = new(Beta2: 0.98, WeightDecay: 0.2);

    /// <summary>Gradient clipping norm (0 = off).</summary>
    public double GradClip { get; init; } = 1.0;

    /// <summary>Image augmentation; captions use "left of", so the default does not flip.</summary>
    public TrainAugmentConfig Augment { get; init; } = TrainAugmentConfig.None with { ImageSize = 64 };

    /// <summary>Records in the streaming shuffle buffer.</summary>
    public int ShuffleBuffer { get; init; } = 2_000;

    /// <summary>Batches decoded ahead on a background thread (results do not depend on it).</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>Seed of initialisation, shard order and shuffling.</summary>
    public int Seed { get; init; }

    /// <summary>Folder of checkpoints and <c>metrics.jsonl</c>.</summary>
    public string OutputDir { get; init; } = "runs/clip";

    /// <summary>Steps between checkpoints (the last step is always saved).</summary>
    public int CheckpointEvery { get; init; } = 1_000;

    /// <summary>Checkpoints kept (0 = all).</summary>
    public int KeepCheckpoints { get; init; } = 1;

    /// <summary>The trainer's part.</summary>
    public TrainerConfig ToTrainerConfig() =>
        new(Steps, BatchSize, Schedule, Optimizer, GradClip, OutputDir, CheckpointEvery, KeepCheckpoints);

    /// <summary>The loader's part (context length from the text tower).</summary>
    public ImageTextLoaderConfig ToLoaderConfig() => new(BatchSize, ShuffleBuffer, Seed, Prefetch, Model.Text.ContextLength);

    public string ToJson() => JsonSerializer.Serialize(this, ConfigJson.Options);

    /// <summary>Checks every value a run cannot start with.</summary>
    /// <exception cref="InvalidDataException">The first bad field, named, with what was expected.</exception>
    public void Validate(string source)
    {
        void Require(bool ok, string field, string expected)
        {
            if (!ok) throw new InvalidDataException($"{source}: field '{field}': expected {expected}.");
        }
        Require(Shards.Count > 0, "shards", "at least one webdataset shard path or pattern");
        Require(BatchSize >= 2, "batch_size", $"at least 2 (contrastive learning needs negatives), got {BatchSize}");
        Require(Steps > 0, "steps", $"a positive number, got {Steps}");
        Require(Schedule.WarmupSteps >= 0 && Schedule.WarmupSteps < Schedule.TotalSteps, "schedule", $"0 ≤ warmup_steps < total_steps, got {Schedule.WarmupSteps} and {Schedule.TotalSteps}");
        Require(Augment.ImageSize == Model.Vision.ImageResolution, "augment.image_size", $"the model's image resolution {Model.Vision.ImageResolution}, got {Augment.ImageSize}");
        Require(ShuffleBuffer >= 0, "shuffle_buffer", $"0 or more, got {ShuffleBuffer}");
    }
}
