using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data.Transforms;
using static TorchSharp.torch;

namespace Tcl.Evaluation;

/// <summary>
/// mmseg's test pipeline for one image (<c>test_pipeline</c> of the official
/// <c>segmentation/configs/_base_/datasets/</c>): keep-ratio resize to <c>img_scale</c> =
/// (<see cref="EvaluationProtocol.LongSideMax"/>, <see cref="EvaluationProtocol.ShortSide"/>) with OpenCV's
/// <c>INTER_LINEAR</c> on uint8 (<see cref="OpenCvLinearResize"/>), then float32 ImageNet normalisation as mmcv's
/// <c>imnormalize</c> computes it → <c>[1, 3, H, W]</c>. No flip, no multi-scale, batch size 1.
/// </summary>
/// <remarks>
/// The input is RGB (ImageSharp); OpenCV decodes BGR and converts after resizing, but the resize treats channels
/// independently, so the order of the two steps does not matter. mmcv normalises as <c>(x − mean)·(1/std)</c> in
/// float32 (mean and 1/std rounded to float32); that is what is done here (≤1e-7 from <c>(x − mean)/std</c>).
/// </remarks>
public sealed class EvalImagePreprocessor
{
    /// <summary>ImageNet mean in RGB order, 0–255 scale.</summary>
    public static IReadOnlyList<double> Mean { get; } = [123.675, 116.28, 103.53];

    /// <summary>ImageNet standard deviation in RGB order, 0–255 scale.</summary>
    public static IReadOnlyList<double> Std { get; } = [58.395, 57.12, 57.375];

    /// <summary>A pre-processor for a protocol's image scale.</summary>
    public EvalImagePreprocessor(EvaluationProtocol protocol)
        : this(protocol.LongSideMax, protocol.ShortSide) { }

    /// <summary>A pre-processor for an explicit <c>img_scale</c> = (long, short).</summary>
    /// <param name="longSideMax">Cap of the long side (2048).</param>
    /// <param name="shortSide">Target of the short side (448).</param>
    public EvalImagePreprocessor(int longSideMax, int shortSide)
    {
        if (longSideMax < 1 || shortSide < 1)
            throw new ArgumentOutOfRangeException(nameof(shortSide), $"img_scale must be positive, got ({longSideMax}, {shortSide}).");
        LongSideMax = longSideMax;
        ShortSide = shortSide;
    }

    /// <summary>Cap of the long side.</summary>
    public int LongSideMax { get; }

    /// <summary>Target of the short side.</summary>
    public int ShortSide { get; }

    /// <summary>
    /// mmcv's <c>rescale_size</c> with <c>keep_ratio</c>: <c>f = min(long/max(h,w), short/min(h,w))</c>,
    /// <c>new = int(x·f + 0.5)</c> (double arithmetic, as Python).
    /// </summary>
    /// <returns>(width, height) after resizing.</returns>
    public (int Width, int Height) ResizedSize(int width, int height)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive, got {width}×{height}.");
        double f = Math.Min((double)LongSideMax / Math.Max(width, height), (double)ShortSide / Math.Min(width, height));
        return ((int)(width * f + 0.5), (int)(height * f + 0.5));
    }

    /// <summary>Resized 8-bit pixels (before normalisation), for inspection and tests.</summary>
    public RgbPixels Resize(RgbPixels image)
    {
        var (w, h) = ResizedSize(image.Width, image.Height);
        return new RgbPixels(w, h, OpenCvLinearResize.Resize(image.Data, image.Width, image.Height, 3, w, h));
    }

    /// <summary>The network input of one image.</summary>
    /// <param name="image">Decoded RGB image (any size).</param>
    /// <returns>Normalised image <c>[1, 3, H, W]</c> float32 (H, W from <see cref="ResizedSize"/>).</returns>
    /// <remarks>A contiguous image (<see cref="BenchmarkEvaluator.LoadImage"/> asks for one) is resized straight from
    /// its pixel memory; a copy of a large photo (144 MB for 8000×6000) is never made.</remarks>
    public Tensor Process(Image<Rgb24> image)
    {
        if (!image.DangerousTryGetSinglePixelMemory(out var memory)) return Process(RgbPixels.FromImage(image));
        var pixels = System.Runtime.InteropServices.MemoryMarshal.AsBytes(memory.Span);     // [H0, W0, 3]
        var (w, h) = ResizedSize(image.Width, image.Height);
        return Normalize(new RgbPixels(w, h, OpenCvLinearResize.Resize(pixels, image.Width, image.Height, 3, w, h)));
    }

    /// <inheritdoc cref="Process(Image{Rgb24})"/>
    public Tensor Process(RgbPixels image) => Normalize(Resize(image));

    /// <summary>mmcv <c>imnormalize</c> (float32 <c>(x − mean)·(1/std)</c>) and HWC → <c>[1, 3, H, W]</c>.</summary>
    public static Tensor Normalize(RgbPixels pixels)
    {
        int h = pixels.Height, w = pixels.Width, plane = h * w;
        var data = new float[3 * plane];
        var mean = Mean.Select(m => (float)m).ToArray();
        var inv = Std.Select(s => (float)(1.0 / s)).ToArray();
        var src = pixels.Data;
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
                data[c * plane + i] = (src[i * 3 + c] - mean[c]) * inv[c];
        }
        return tensor(data, [1, 3, h, w]);
    }
}
