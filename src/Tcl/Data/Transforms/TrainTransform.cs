using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace Tcl.Data.Transforms;

/// <summary>
/// TCL's training-image pipeline (official <c>build_img_transform</c>: timm 0.6.7
/// <c>create_transform(is_training=True)</c>), in timm's order:
/// <list type="number">
/// <item>RandomResizedCrop to S (bilinear) — or, for <see cref="CropMode.Resize"/>, a plain resize to S×S;</item>
/// <item>horizontal flip with probability <see cref="TrainAugmentConfig.HorizontalFlip"/>;</item>
/// <item>RandAugment (no ColorJitter: timm drops it when an auto-augment policy is given);</item>
/// <item>ToTensor + Normalize (mean/std of the config, ImageNet by default);</item>
/// <item>RandomErasing on the normalised tensor.</item>
/// </list>
/// <see cref="Apply"/> is deterministic given the <see cref="Random"/> (every draw comes from it), never changes the
/// caller's image, and holds no mutable state, so one instance can serve parallel loader workers, each with its own
/// <see cref="Random"/>. It fits the loader's <c>Func&lt;Image&lt;Rgb24&gt;, Random, Tensor&gt;</c> as a method group.
/// </summary>
public sealed class TrainTransform
{
    private readonly RandAugment? randAugment;
    private readonly RandomErasing? randomErasing;

    /// <summary>A transform for <paramref name="config"/> (validated here, so a bad policy string fails at construction).</summary>
    /// <param name="config">The augmentation settings; <see cref="TrainAugmentConfig.Official"/> for TCL.</param>
    public TrainTransform(TrainAugmentConfig config)
    {
        config.Validate();
        Config = config;
        if (!string.IsNullOrEmpty(config.RandAugment)) randAugment = new RandAugment(config.RandAugment, config.Mean);
        if (config.RandomErasing is { } erasing) randomErasing = new RandomErasing(erasing);
    }

    /// <summary>The settings.</summary>
    public TrainAugmentConfig Config { get; }

    /// <summary>Augments one image into a normalised float32 tensor <c>[3, S, S]</c>, owned by the caller.</summary>
    /// <param name="image">Decoded RGB image of any size; not changed.</param>
    /// <param name="random">The only source of randomness.</param>
    public Tensor Apply(Image<Rgb24> image, Random random)
    {
        var chw = ApplyToValues(image, random);
        return ImageNormalization.FromChw(chw, Config.ImageSize, Config.ImageSize); // [3, S, S]
    }

    /// <summary>The same pipeline as <see cref="Apply"/>, returning the CHW values <c>[3·S·S]</c> instead of a tensor
    /// (lets a batcher fill one <c>[B, 3, S, S]</c> buffer without a native tensor per image).</summary>
    /// <param name="image">Decoded RGB image of any size; not changed.</param>
    /// <param name="random">The only source of randomness.</param>
    public float[] ApplyToValues(Image<Rgb24> image, Random random)
    {
        var pixels = AugmentPixels(image, random);
        var chw = ImageNormalization.ToChw(pixels, Config.Mean, Config.Std);
        randomErasing?.Apply(chw, 3, pixels.Height, pixels.Width, random);
        return chw;
    }

    /// <summary>Steps 1–3 only (crop, flip, RandAugment): the augmented 8-bit image, e.g. for looking at augmentations.</summary>
    /// <param name="image">Decoded RGB image of any size; not changed.</param>
    /// <param name="random">The only source of randomness.</param>
    public RgbPixels AugmentPixels(Image<Rgb24> image, Random random)
    {
        int size = Config.ImageSize;
        using var resized = Config.Crop == CropMode.RandomResized
            ? RandomResizedCrop.Apply(image, size, Config.Scale, Config.Ratio, random)
            : RandomResizedCrop.Resize(image, size);
        var pixels = RgbPixels.FromImage(resized); // [S, S, 3]
        if (Config.HorizontalFlip > 0) pixels.MaybeFlipHorizontal(Config.HorizontalFlip, random);
        randAugment?.Apply(pixels, random);
        return pixels;
    }

    /// <summary>Plain conversion without augmentation: ImageNet-normalised float32 <c>[3, H, W]</c> at the image's own size
    /// (evaluation feeds images this way after its own resizing).</summary>
    /// <param name="image">RGB image; not changed.</param>
    /// <param name="mean">Per-channel mean on [0, 1] (default ImageNet).</param>
    /// <param name="std">Per-channel std on [0, 1] (default ImageNet).</param>
    public static Tensor ToNormalizedTensor(Image<Rgb24> image, ChannelStats? mean = null, ChannelStats? std = null) =>
        ImageNormalization.ToTensor(image, mean, std);
}
