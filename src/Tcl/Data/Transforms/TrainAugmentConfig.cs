using System.Text.Json.Serialization;

namespace Tcl.Data.Transforms;

/// <summary>A closed range <c>[Min, Max]</c> of a sampled quantity (area fraction, aspect ratio …).</summary>
/// <param name="Min">Lower end.</param>
/// <param name="Max">Upper end.</param>
public readonly record struct Interval(double Min, double Max);

/// <summary>One number per RGB channel (normalisation mean or std, on RGB scaled to [0, 1]).</summary>
/// <param name="R">Red channel.</param>
/// <param name="G">Green channel.</param>
/// <param name="B">Blue channel.</param>
public readonly record struct ChannelStats(double R, double G, double B)
{
    /// <summary>ImageNet mean (0.485, 0.456, 0.406): the official TCL code uses ImageNet, not CLIP, statistics
    /// (<c>us/misc.py</c>).</summary>
    public static ChannelStats ImageNetMean => new(0.485, 0.456, 0.406);

    /// <summary>ImageNet std (0.229, 0.224, 0.225) (official <c>us/misc.py</c>).</summary>
    public static ChannelStats ImageNetStd => new(0.229, 0.224, 0.225);

    /// <summary>The value of channel <paramref name="channel"/> (0 = R, 1 = G, 2 = B).</summary>
    public double this[int channel] => channel switch
    {
        0 => R,
        1 => G,
        2 => B,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "channel must be 0, 1 or 2"),
    };
}

/// <summary>How the first step brings an image to <c>ImageSize × ImageSize</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CropMode>))]
public enum CropMode
{
    /// <summary>torchvision/timm RandomResizedCrop (training).</summary>
    RandomResized,

    /// <summary>Plain bilinear resize of the whole image to S×S, aspect not kept (tests, evaluation-like feeding).</summary>
    Resize,
}

/// <summary>What an erased box is filled with (timm <c>RandomErasing(mode=…)</c>), in normalised units.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ErasingMode>))]
public enum ErasingMode
{
    /// <summary>Zeros (timm "const": the dataset mean after normalisation).</summary>
    Const,

    /// <summary>One N(0,1) value per channel for the whole box (timm "rand").</summary>
    Rand,

    /// <summary>An independent N(0,1) value per pixel and channel (timm "pixel"; TCL's setting).</summary>
    Pixel,
}

/// <summary>timm's RandomErasing settings (applied to the normalised tensor, after Normalize).</summary>
public sealed record RandomErasingConfig
{
    /// <summary>Chance that an image gets erased at all (TCL: <c>reprob</c> 0.25).</summary>
    public double Probability { get; init; } = 0.25;

    /// <summary>Fill of the box; TCL uses <see cref="ErasingMode.Pixel"/>.</summary>
    public ErasingMode Mode { get; init; } = ErasingMode.Pixel;

    /// <summary>Fewest boxes per erased image (timm <c>min_count</c>, 1).</summary>
    public int MinCount { get; init; } = 1;

    /// <summary>Most boxes per erased image (timm <c>max_count</c>, TCL's <c>recount</c> 1); each box's area is divided by the count drawn.</summary>
    public int MaxCount { get; init; } = 1;

    /// <summary>Box area as a fraction of the image area (timm 0.02 … 1/3).</summary>
    public Interval Area { get; init; } = new(0.02, 1.0 / 3.0);

    /// <summary>Box aspect ratio h/w, sampled log-uniformly (timm 0.3 … 1/0.3 ≈ 3.33).</summary>
    public Interval Aspect { get; init; } = new(0.3, 1.0 / 0.3);
}

/// <summary>
/// The training-image augmentation of TCL (official <c>build_img_transform</c>: timm 0.6.7 <c>create_transform</c>,
/// training mode) as data: presets are values of this record, not code branches. Serialisable with System.Text.Json.
/// </summary>
public sealed record TrainAugmentConfig
{
    /// <summary>Output side S: every image becomes <c>[3, S, S]</c> (TCL: 224).</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>First step: random resized crop (training) or plain resize (evaluation-like).</summary>
    public CropMode Crop { get; init; } = CropMode.RandomResized;

    /// <summary>RandomResizedCrop area fraction range (torchvision default 0.08 … 1.0).</summary>
    public Interval Scale { get; init; } = new(0.08, 1.0);

    /// <summary>RandomResizedCrop aspect range w/h, sampled log-uniformly (3/4 … 4/3).</summary>
    public Interval Ratio { get; init; } = new(3.0 / 4.0, 4.0 / 3.0);

    /// <summary>Probability of a horizontal flip (timm <c>hflip</c> 0.5; 0 = off).</summary>
    public double HorizontalFlip { get; init; } = 0.5;

    /// <summary>timm RandAugment policy string (TCL: <c>rand-m9-mstd0.5-inc1</c>); null or empty = off.
    /// With RandAugment on, timm skips ColorJitter, so there is no ColorJitter field.</summary>
    public string? RandAugment { get; init; } = "rand-m9-mstd0.5-inc1";

    /// <summary>RandomErasing on the normalised tensor; null = off.</summary>
    public RandomErasingConfig? RandomErasing { get; init; } = new();

    /// <summary>Normalisation mean on RGB in [0, 1] (ImageNet; also gives RandAugment's fill colour, ×255 rounded).</summary>
    public ChannelStats Mean { get; init; } = ChannelStats.ImageNetMean;

    /// <summary>Normalisation std on RGB in [0, 1] (ImageNet).</summary>
    public ChannelStats Std { get; init; } = ChannelStats.ImageNetStd;

    /// <summary>The official <c>img_aug</c> (<c>configs/default.yml</c>): RRC 224, flip 0.5,
    /// <c>rand-m9-mstd0.5-inc1</c>, Normalize, RandomErasing 0.25 pixel.</summary>
    public static TrainAugmentConfig Official => new();

    /// <summary>Random resized crop and flip only (no RandAugment, no erasing): for quick or ablation runs.</summary>
    public static TrainAugmentConfig Minimal => new() { RandAugment = null, RandomErasing = null };

    /// <summary>No augmentation: plain resize to S×S then Normalize (tests, evaluation-like feeding).</summary>
    public static TrainAugmentConfig None => new()
    {
        Crop = CropMode.Resize, HorizontalFlip = 0, RandAugment = null, RandomErasing = null,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent field.</summary>
    public void Validate()
    {
        if (ImageSize < 1) throw new ArgumentException($"ImageSize must be positive, got {ImageSize}.");
        CheckRange(nameof(Scale), Scale, positive: false);
        CheckRange(nameof(Ratio), Ratio, positive: true);
        if (HorizontalFlip is < 0 or > 1) throw new ArgumentException($"HorizontalFlip must be a probability, got {HorizontalFlip}.");
        for (int c = 0; c < 3; c++)
            if (!(Std[c] > 0)) throw new ArgumentException($"Std must be positive in every channel, got {Std}.");
        if (!string.IsNullOrEmpty(RandAugment)) RandAugmentPolicy.Parse(RandAugment);
        if (RandomErasing is { } e)
        {
            if (e.Probability is < 0 or > 1) throw new ArgumentException($"RandomErasing.Probability must be a probability, got {e.Probability}.");
            if (e.MinCount < 1 || e.MaxCount < e.MinCount)
                throw new ArgumentException($"RandomErasing counts need 1 <= MinCount <= MaxCount, got {e.MinCount}, {e.MaxCount}.");
            CheckRange("RandomErasing.Area", e.Area, positive: false);
            CheckRange("RandomErasing.Aspect", e.Aspect, positive: true);
        }
    }

    private static void CheckRange(string name, Interval range, bool positive)
    {
        if (!(range.Min <= range.Max) || range.Min < 0 || (positive && range.Min <= 0))
            throw new ArgumentException($"{name} must be an ordered range of {(positive ? "positive" : "non-negative")} numbers, got ({range.Min}, {range.Max}).");
    }
}
