using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Tcl.Data.Transforms;

/// <summary>A crop rectangle in torchvision's <c>(i, j, h, w)</c> order: top row, left column, height, width.</summary>
/// <param name="Top">First row i.</param>
/// <param name="Left">First column j.</param>
/// <param name="Height">Rows h.</param>
/// <param name="Width">Columns w.</param>
public readonly record struct CropBox(int Top, int Left, int Height, int Width);

/// <summary>
/// torchvision's <c>RandomResizedCrop</c> (timm's <c>RandomResizedCropAndInterpolation</c> with bilinear
/// interpolation is the same algorithm): pick a crop whose area is a random fraction of the image and whose aspect
/// ratio is log-uniform, then resize it to S×S.
/// <para>
/// <see cref="GetParams"/> is <c>get_params</c> line by line: up to 10 attempts of <c>target_area = uniform(scale)·area</c>,
/// <c>aspect = exp(uniform(log ratio))</c>, <c>w = round(√(area·aspect))</c>, <c>h = round(√(area/aspect))</c> (Python's
/// round: half to even, as <see cref="Math.Round(double)"/>), accepted when <c>0 &lt; w ≤ W</c> and <c>0 &lt; h ≤ H</c>,
/// then a uniform top/left; otherwise the central crop, with the aspect clamped into the ratio range.
/// </para>
/// <para>
/// Deviation: the resize is ImageSharp's <see cref="KnownResamplers.Triangle"/> (bilinear, widened when shrinking —
/// the same antialiased triangle filter as PIL's <c>Image.resize(BILINEAR)</c>), not PIL's fixed-point resampler; values
/// differ from Pillow 9.4's by at most one grey level on the parity fixture (<c>PilResizeParityTests</c>).
/// </para>
/// </summary>
public static class RandomResizedCrop
{
    /// <summary>How many area/ratio draws are tried before the central-crop fallback (torchvision: 10).</summary>
    public const int Attempts = 10;

    /// <summary>torchvision <c>RandomResizedCrop.get_params</c> for a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    /// <param name="width">Image width W.</param>
    /// <param name="height">Image height H.</param>
    /// <param name="scale">Range of the crop area as a fraction of W·H.</param>
    /// <param name="ratio">Range of the crop aspect ratio w/h (sampled log-uniformly).</param>
    /// <param name="random">The only source of randomness: 2 draws per attempt, then 2 for the position.</param>
    public static CropBox GetParams(int width, int height, Interval scale, Interval ratio, Random random)
    {
        double area = (double)width * height;
        double logMin = Math.Log(ratio.Min), logMax = Math.Log(ratio.Max);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            double targetArea = area * RandomDraws.Uniform(random, scale.Min, scale.Max);
            double aspect = Math.Exp(RandomDraws.Uniform(random, logMin, logMax));
            int w = (int)Math.Round(Math.Sqrt(targetArea * aspect));
            int h = (int)Math.Round(Math.Sqrt(targetArea / aspect));
            if (0 < w && w <= width && 0 < h && h <= height)
            {
                int top = RandomDraws.RandInt(random, 0, height - h);
                int left = RandomDraws.RandInt(random, 0, width - w);
                return new CropBox(top, left, h, w);
            }
        }
        return CentralFallback(width, height, ratio);
    }

    /// <summary>The fallback of <c>get_params</c>: the whole image, or its central part when its aspect lies outside <paramref name="ratio"/>.</summary>
    /// <param name="width">Image width W.</param>
    /// <param name="height">Image height H.</param>
    /// <param name="ratio">Allowed aspect range w/h.</param>
    public static CropBox CentralFallback(int width, int height, Interval ratio)
    {
        double inRatio = (double)width / height;
        int w, h;
        if (inRatio < ratio.Min)
        {
            w = width;
            h = (int)Math.Round(w / ratio.Min);
        }
        else if (inRatio > ratio.Max)
        {
            h = height;
            w = (int)Math.Round(h * ratio.Max);
        }
        else
        {
            w = width;
            h = height;
        }
        return new CropBox((height - h) / 2, (width - w) / 2, h, w);
    }

    /// <summary>Crops <paramref name="box"/> out of <paramref name="image"/> and resizes it bilinearly to <paramref name="size"/>².</summary>
    /// <param name="image">Source; not changed.</param>
    /// <param name="box">Crop rectangle (inside the image).</param>
    /// <param name="size">Output side S.</param>
    /// <returns>A new S×S image owned by the caller.</returns>
    public static Image<Rgb24> CropAndResize(Image<Rgb24> image, CropBox box, int size)
    {
        var rect = new Rectangle(box.Left, box.Top, box.Width, box.Height);
        bool whole = box is { Top: 0, Left: 0 } && box.Width == image.Width && box.Height == image.Height;
        bool sameSize = box.Width == size && box.Height == size;
        return image.Clone(ctx =>
        {
            if (!whole) ctx.Crop(rect);
            if (!sameSize) ctx.Resize(size, size, KnownResamplers.Triangle);
        });
    }

    /// <summary>Draws the crop with <see cref="GetParams"/> and returns the S×S result.</summary>
    /// <param name="image">Source; not changed.</param>
    /// <param name="size">Output side S.</param>
    /// <param name="scale">Area fraction range.</param>
    /// <param name="ratio">Aspect range w/h.</param>
    /// <param name="random">The only source of randomness.</param>
    /// <returns>A new S×S image owned by the caller.</returns>
    public static Image<Rgb24> Apply(Image<Rgb24> image, int size, Interval scale, Interval ratio, Random random) =>
        CropAndResize(image, GetParams(image.Width, image.Height, scale, ratio, random), size);

    /// <summary>Plain bilinear resize of the whole image to S×S (no crop, aspect not kept): the <see cref="CropMode.Resize"/> step.</summary>
    /// <param name="image">Source; not changed.</param>
    /// <param name="size">Output side S.</param>
    /// <returns>A new S×S image owned by the caller.</returns>
    public static Image<Rgb24> Resize(Image<Rgb24> image, int size) =>
        CropAndResize(image, new CropBox(0, 0, image.Height, image.Width), size);
}
