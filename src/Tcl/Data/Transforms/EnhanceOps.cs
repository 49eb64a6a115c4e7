namespace Tcl.Data.Transforms;

/// <summary>
/// PIL's <c>ImageEnhance</c> classes, which all blend the image with a "degenerate" version of itself:
/// <c>enhance(f) = Image.blend(degenerate, image, f)</c>, i.e. <c>out = deg + f·(img − deg)</c>. The factor is
/// narrowed to float32 as PIL's C code does; for <c>0 ≤ f ≤ 1</c> the result is truncated to a byte, outside that range
/// it is clipped to [0, 255] then truncated (<c>ImagingBlend</c>). The degenerate images:
/// <list type="bullet">
/// <item>Color: the greyscale image, <c>L = (19595·R + 38470·G + 7471·B + 0x8000) &gt;&gt; 16</c> (PIL's <c>convert("L")</c>), replicated to RGB.</item>
/// <item>Contrast: a uniform grey at <c>int(mean(L) + 0.5)</c> (Pillow ≤ 10 <c>ImageEnhance.Contrast</c>).</item>
/// <item>Brightness: black.</item>
/// <item>Sharpness: PIL's <c>ImageFilter.SMOOTH</c> — 3×3 kernel <c>[1 1 1; 1 5 1; 1 1 1] / 13</c>, float sums + 0.5,
///   truncated; the one-pixel border is copied unfiltered; images smaller than 3×3 are returned unchanged.</item>
/// </list>
/// All ops act in place. No deviation from PIL (9.x/10.x) is known for 8-bit RGB.
/// </summary>
public static class EnhanceOps
{
    /// <summary>PIL <c>ImageEnhance.Color(image).enhance(factor)</c> (0 = greyscale, 1 = unchanged).</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="factor">Blend factor.</param>
    public static void Color(RgbPixels image, double factor)
    {
        var grey = new byte[image.Data.Length];
        var data = image.Data;
        for (int i = 0; i < data.Length; i += 3)
        {
            byte l = Luma(data[i], data[i + 1], data[i + 2]);
            grey[i] = grey[i + 1] = grey[i + 2] = l;
        }
        Blend(grey, data, factor);
    }

    /// <summary>PIL <c>ImageEnhance.Contrast(image).enhance(factor)</c> (0 = uniform mean grey, 1 = unchanged).</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="factor">Blend factor.</param>
    public static void Contrast(RgbPixels image, double factor)
    {
        var data = image.Data;
        long sum = 0;
        for (int i = 0; i < data.Length; i += 3) sum += Luma(data[i], data[i + 1], data[i + 2]);
        double meanLuma = (double)sum / (image.Width * image.Height);
        byte mean = (byte)(int)(meanLuma + 0.5);
        var degenerate = new byte[data.Length];
        Array.Fill(degenerate, mean);
        Blend(degenerate, data, factor);
    }

    /// <summary>PIL <c>ImageEnhance.Brightness(image).enhance(factor)</c> (0 = black, 1 = unchanged).</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="factor">Blend factor.</param>
    public static void Brightness(RgbPixels image, double factor) => Blend(new byte[image.Data.Length], image.Data, factor);

    /// <summary>PIL <c>ImageEnhance.Sharpness(image).enhance(factor)</c> (0 = smoothed, 1 = unchanged, 2 = sharpened).</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="factor">Blend factor.</param>
    public static void Sharpness(RgbPixels image, double factor) => Blend(Smooth(image).Data, image.Data, factor);

    /// <summary>PIL's <c>convert("L")</c> of one pixel (ITU-R 601-2 luma in 16-bit fixed point, rounded).</summary>
    /// <param name="r">Red.</param>
    /// <param name="g">Green.</param>
    /// <param name="b">Blue.</param>
    public static byte Luma(byte r, byte g, byte b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);

    /// <summary>PIL's <c>image.filter(ImageFilter.SMOOTH)</c> (see the class comment for the border rule).</summary>
    /// <param name="image">Source; not changed.</param>
    /// <returns>A new smoothed image.</returns>
    public static RgbPixels Smooth(RgbPixels image)
    {
        var result = image.Clone();
        int w = image.Width, h = image.Height;
        if (w < 3 || h < 3) return result;
        const float centre = 5f / 13f, edge = 1f / 13f;
        var src = image.Data;
        var dst = result.Data;
        for (int y = 1; y < h - 1; y++)
        {
            for (int x = 1; x < w - 1; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    // PIL sums the row below, the row itself, then the row above, each left → right.
                    float ss = 0.5f;
                    for (int dy = 1; dy >= -1; dy--)
                    {
                        int row = ((y + dy) * w + x) * 3 + c;
                        float k1 = dy == 0 ? centre : edge;
                        ss += src[row - 3] * edge + src[row] * k1 + src[row + 3] * edge;
                    }
                    dst[(y * w + x) * 3 + c] = ClipToByte(ss);
                }
            }
        }
        return result;
    }

    /// <summary>PIL <c>Image.blend(degenerate, image, factor)</c>, written into <paramref name="image"/>.</summary>
    /// <param name="degenerate">First image (weight 1 − factor).</param>
    /// <param name="image">Second image (weight factor); overwritten with the result.</param>
    /// <param name="factor">Blend factor (narrowed to float32).</param>
    public static void Blend(byte[] degenerate, byte[] image, double factor)
    {
        float alpha = (float)factor;
        bool interpolate = alpha >= 0 && alpha <= 1;
        for (int i = 0; i < image.Length; i++)
        {
            float v = degenerate[i] + alpha * (image[i] - degenerate[i]);
            image[i] = interpolate ? (byte)v : ClipToByte(v);
        }
    }

    private static byte ClipToByte(float v) => v <= 0f ? (byte)0 : v >= 255f ? (byte)255 : (byte)v;
}
