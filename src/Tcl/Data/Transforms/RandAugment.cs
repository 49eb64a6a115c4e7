using SixLabors.ImageSharp.PixelFormats;

namespace Tcl.Data.Transforms;

/// <summary>The RandAugment ops of timm 0.6.7 (<c>NAME_TO_OP</c> names; the absolute translates are not used by either set).</summary>
public enum RandAugmentOp
{
    AutoContrast, Equalize, Invert, Rotate,
    Posterize, PosterizeIncreasing, Solarize, SolarizeIncreasing, SolarizeAdd,
    Color, ColorIncreasing, Contrast, ContrastIncreasing, Brightness, BrightnessIncreasing,
    Sharpness, SharpnessIncreasing, ShearX, ShearY, TranslateXRel, TranslateYRel,
}

/// <summary>
/// timm's <c>RandAugment</c> (timm 0.6.7 <c>auto_augment.py</c>) on an <see cref="RgbPixels"/> image, in place.
/// Per image: choose <c>N</c> ops uniformly with replacement (<c>np.random.choice</c>); then for each op in turn: skip it
/// unless a uniform draw is ≤ p (<c>random.random() &gt; prob</c> skips); draw the magnitude
/// <c>gauss(M, mstd)</c> (or <c>uniform(0, M)</c> for infinite mstd), clip it to <c>[0, mmax]</c>; map it to the op's
/// argument (<see cref="LevelToArgument"/>, which for signed ops makes one more draw for the sign); apply.
/// Geometric ops use bilinear resampling and fill with the ImageNet mean in 0–255 (124, 116, 104), as TCL's
/// <c>create_transform(interpolation='bilinear')</c> configures them; relative translates use timm's
/// <c>translate_pct</c> 0.45 (so the 100 px <c>translate_const</c> that <c>create_transform</c> sets is not used by the
/// increasing set). All randomness comes from the <see cref="Random"/> passed in, in the order above (timm mixes
/// NumPy's and Python's generators; the order of draws is kept, not the streams).
/// </summary>
public sealed class RandAugment
{
    /// <summary>timm's <c>_LEVEL_DENOM</c>: magnitudes are on a 0..10 scale.</summary>
    public const double LevelDenominator = 10.0;

    /// <summary>timm's default <c>translate_pct</c> for the relative translates.</summary>
    public const double TranslatePct = 0.45;

    /// <summary>timm's <c>_RAND_TRANSFORMS</c> (policy without <c>inc1</c>).</summary>
    public static IReadOnlyList<RandAugmentOp> StandardOps { get; } =
    [
        RandAugmentOp.AutoContrast, RandAugmentOp.Equalize, RandAugmentOp.Invert, RandAugmentOp.Rotate,
        RandAugmentOp.Posterize, RandAugmentOp.Solarize, RandAugmentOp.SolarizeAdd, RandAugmentOp.Color,
        RandAugmentOp.Contrast, RandAugmentOp.Brightness, RandAugmentOp.Sharpness, RandAugmentOp.ShearX,
        RandAugmentOp.ShearY, RandAugmentOp.TranslateXRel, RandAugmentOp.TranslateYRel,
    ];

    /// <summary>timm's <c>_RAND_INCREASING_TRANSFORMS</c> (policy with <c>inc1</c>; TCL's set).</summary>
    public static IReadOnlyList<RandAugmentOp> IncreasingOps { get; } =
    [
        RandAugmentOp.AutoContrast, RandAugmentOp.Equalize, RandAugmentOp.Invert, RandAugmentOp.Rotate,
        RandAugmentOp.PosterizeIncreasing, RandAugmentOp.SolarizeIncreasing, RandAugmentOp.SolarizeAdd,
        RandAugmentOp.ColorIncreasing, RandAugmentOp.ContrastIncreasing, RandAugmentOp.BrightnessIncreasing,
        RandAugmentOp.SharpnessIncreasing, RandAugmentOp.ShearX, RandAugmentOp.ShearY,
        RandAugmentOp.TranslateXRel, RandAugmentOp.TranslateYRel,
    ];

    /// <summary>An augmenter for <paramref name="policy"/> filling uncovered pixels with <paramref name="fill"/>.</summary>
    /// <param name="policy">Parsed policy.</param>
    /// <param name="fill">Fill colour of the geometric ops (timm <c>img_mean</c>).</param>
    public RandAugment(RandAugmentPolicy policy, Rgb24 fill)
    {
        Policy = policy;
        Fill = fill;
    }

    /// <summary>An augmenter for a policy string, with the fill taken from a normalisation mean (timm: <c>round(255·mean)</c>).</summary>
    /// <param name="policy">e.g. <c>rand-m9-mstd0.5-inc1</c>.</param>
    /// <param name="mean">Normalisation mean on [0, 1].</param>
    public RandAugment(string policy, ChannelStats mean) : this(RandAugmentPolicy.Parse(policy), FillFromMean(mean)) { }

    /// <summary>The policy.</summary>
    public RandAugmentPolicy Policy { get; }

    /// <summary>The fill colour of the geometric ops.</summary>
    public Rgb24 Fill { get; }

    /// <summary>timm's <c>img_mean = tuple(min(255, round(255·x)) for x in mean)</c> (Python's half-to-even round).</summary>
    /// <param name="mean">Mean on [0, 1].</param>
    public static Rgb24 FillFromMean(ChannelStats mean)
    {
        static byte Level(double x) => (byte)Math.Clamp(Math.Round(255 * x), 0, 255);
        return new Rgb24(Level(mean.R), Level(mean.G), Level(mean.B));
    }

    /// <summary>Augments <paramref name="image"/> in place.</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="random">The only source of randomness.</param>
    /// <returns>The ops that were applied with their clipped magnitudes, in order (for tests and logs).</returns>
    public IReadOnlyList<(RandAugmentOp Op, double Magnitude)> Apply(RgbPixels image, Random random)
    {
        var ops = Policy.Ops;
        var chosen = new RandAugmentOp[Policy.NumOps];
        for (int i = 0; i < chosen.Length; i++) chosen[i] = ops[random.Next(ops.Count)];
        var applied = new List<(RandAugmentOp, double)>();
        foreach (var op in chosen)
        {
            if (Policy.Probability < 1.0 && random.NextDouble() > Policy.Probability) continue;
            double magnitude = Policy.Magnitude;
            if (double.IsPositiveInfinity(Policy.MagnitudeStd)) magnitude = RandomDraws.Uniform(random, 0, magnitude);
            else if (Policy.MagnitudeStd > 0) magnitude = RandomDraws.Gauss(random, magnitude, Policy.MagnitudeStd);
            magnitude = Math.Max(0.0, Math.Min(magnitude, Policy.MagnitudeMax));
            ApplyOp(image, op, LevelToArgument(op, magnitude, random), Fill);
            applied.Add((op, magnitude));
        }
        return applied;
    }

    /// <summary>timm's <c>LEVEL_TO_ARG</c>: the op's argument at <paramref name="magnitude"/> (0 for ops without one).</summary>
    /// <param name="op">The op.</param>
    /// <param name="magnitude">Clipped magnitude on the 0..10 scale.</param>
    /// <param name="random">Source of the random sign of signed ops (one draw for Rotate, shears, translates and the *Increasing enhancements).</param>
    public static double LevelToArgument(RandAugmentOp op, double magnitude, Random random)
    {
        double level = magnitude / LevelDenominator;
        return op switch
        {
            RandAugmentOp.AutoContrast or RandAugmentOp.Equalize or RandAugmentOp.Invert => 0,
            RandAugmentOp.Rotate => RandomDraws.RandomlyNegate(random, level * 30.0),
            RandAugmentOp.Posterize => (int)(level * 4),
            RandAugmentOp.PosterizeIncreasing => 4 - (int)(level * 4),
            RandAugmentOp.Solarize => (int)(level * 256),
            RandAugmentOp.SolarizeIncreasing => 256 - (int)(level * 256),
            RandAugmentOp.SolarizeAdd => (int)(level * 110),
            RandAugmentOp.Color or RandAugmentOp.Contrast or RandAugmentOp.Brightness or RandAugmentOp.Sharpness => level * 1.8 + 0.1,
            RandAugmentOp.ColorIncreasing or RandAugmentOp.ContrastIncreasing or RandAugmentOp.BrightnessIncreasing
                or RandAugmentOp.SharpnessIncreasing => Math.Max(0.1, 1.0 + RandomDraws.RandomlyNegate(random, level * 0.9)),
            RandAugmentOp.ShearX or RandAugmentOp.ShearY => RandomDraws.RandomlyNegate(random, level * 0.3),
            RandAugmentOp.TranslateXRel or RandAugmentOp.TranslateYRel => RandomDraws.RandomlyNegate(random, level * TranslatePct),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown RandAugment op"),
        };
    }

    /// <summary>Applies one op with its already-mapped argument (timm's <c>NAME_TO_OP</c>).</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="op">The op.</param>
    /// <param name="argument">Its argument from <see cref="LevelToArgument"/> (degrees, bits, threshold, factor, fraction …).</param>
    /// <param name="fill">Fill colour of the geometric ops.</param>
    public static void ApplyOp(RgbPixels image, RandAugmentOp op, double argument, Rgb24 fill)
    {
        switch (op)
        {
            case RandAugmentOp.AutoContrast: PixelOps.AutoContrast(image); break;
            case RandAugmentOp.Equalize: PixelOps.Equalize(image); break;
            case RandAugmentOp.Invert: PixelOps.Invert(image); break;
            case RandAugmentOp.Rotate: AffineOps.Rotate(image, argument, fill); break;
            case RandAugmentOp.Posterize or RandAugmentOp.PosterizeIncreasing: PixelOps.Posterize(image, (int)argument); break;
            case RandAugmentOp.Solarize or RandAugmentOp.SolarizeIncreasing: PixelOps.Solarize(image, (int)argument); break;
            case RandAugmentOp.SolarizeAdd: PixelOps.SolarizeAdd(image, (int)argument); break;
            case RandAugmentOp.Color or RandAugmentOp.ColorIncreasing: EnhanceOps.Color(image, argument); break;
            case RandAugmentOp.Contrast or RandAugmentOp.ContrastIncreasing: EnhanceOps.Contrast(image, argument); break;
            case RandAugmentOp.Brightness or RandAugmentOp.BrightnessIncreasing: EnhanceOps.Brightness(image, argument); break;
            case RandAugmentOp.Sharpness or RandAugmentOp.SharpnessIncreasing: EnhanceOps.Sharpness(image, argument); break;
            case RandAugmentOp.ShearX: AffineOps.ShearX(image, argument, fill); break;
            case RandAugmentOp.ShearY: AffineOps.ShearY(image, argument, fill); break;
            case RandAugmentOp.TranslateXRel: AffineOps.TranslateXRel(image, argument, fill); break;
            case RandAugmentOp.TranslateYRel: AffineOps.TranslateYRel(image, argument, fill); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown RandAugment op");
        }
    }
}
