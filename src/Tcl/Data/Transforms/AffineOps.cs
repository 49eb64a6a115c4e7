using SixLabors.ImageSharp.PixelFormats;

namespace Tcl.Data.Transforms;

/// <summary>
/// The geometric RandAugment ops (ShearX/Y, TranslateX/YRel, Rotate) as PIL's <c>Image.transform(size, AFFINE,
/// (a, b, c, d, e, f), BILINEAR, fillcolor=…)</c> computes them. We sample ourselves instead of using ImageSharp's
/// <c>Transform</c>/<c>AffineTransformBuilder</c> because ImageSharp 2.1's transform has no fill-colour option (uncovered
/// pixels get the pixel type's default) and its resampler is not PIL's, so neither the fill nor the edges would match.
/// <para>
/// PIL's rule (<c>libImaging/Geometry.c</c>): output pixel (x, y) samples the input at
/// <c>u = a·(x+½) + b·(y+½) + c</c>, <c>v = d·(x+½) + e·(y+½) + f</c>. If <c>u ∉ [0, W)</c> or <c>v ∉ [0, H)</c> the pixel
/// keeps the fill colour; otherwise bilinear interpolation at <c>(u − ½, v − ½)</c> with neighbours clamped to the edge,
/// truncated (not rounded) to a byte. Note that the map goes from output to input, so a positive translate moves the
/// content left/up, and shears are about the top-left corner, as in timm.
/// </para>
/// <para>
/// Rotate is PIL's <c>Image.rotate(angle, BILINEAR, fillcolor=…)</c>: counter-clockwise in degrees about the image
/// centre (W/2, H/2), matrix entries rounded to 15 decimals; angle 0 (mod 360) returns the image unchanged. Deviation:
/// PIL's exact transpose fast paths for 180° (and 90°/270° on square images) are not reproduced — they go through
/// the bilinear sampler here (RandAugment's ±30° never reaches them).
/// </para>
/// </summary>
public static class AffineOps
{
    /// <summary>PIL <c>Image.transform(AFFINE, coefficients, BILINEAR, fillcolor)</c>, written into <paramref name="image"/>.</summary>
    /// <param name="image">Changed in place (the source is copied first).</param>
    /// <param name="coefficients">(a, b, c, d, e, f): output → input map, PIL's order.</param>
    /// <param name="fill">Colour of output pixels that map outside the input.</param>
    public static void Transform(RgbPixels image, ReadOnlySpan<double> coefficients, Rgb24 fill)
    {
        if (coefficients.Length != 6) throw new ArgumentException("An affine map has 6 coefficients (a, b, c, d, e, f).", nameof(coefficients));
        double a = coefficients[0], b = coefficients[1], c = coefficients[2];
        double d = coefficients[3], e = coefficients[4], f = coefficients[5];
        int w = image.Width, h = image.Height;
        var src = (byte[])image.Data.Clone();
        var dst = image.Data;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double xo = x + 0.5, yo = y + 0.5;
                double u = a * xo + b * yo + c;
                double v = d * xo + e * yo + f;
                int o = (y * w + x) * 3;
                if (u < 0.0 || u >= w || v < 0.0 || v >= h)
                {
                    dst[o] = fill.R;
                    dst[o + 1] = fill.G;
                    dst[o + 2] = fill.B;
                    continue;
                }
                u -= 0.5;
                v -= 0.5;
                int x0 = (int)Math.Floor(u), y0 = (int)Math.Floor(v);
                double dx = u - x0, dy = v - y0;
                int xa = Math.Clamp(x0, 0, w - 1) * 3, xb = Math.Clamp(x0 + 1, 0, w - 1) * 3;
                int rowA = Math.Clamp(y0, 0, h - 1) * w * 3;
                bool hasRowB = y0 + 1 >= 0 && y0 + 1 < h;
                int rowB = hasRowB ? (y0 + 1) * w * 3 : rowA;
                for (int ch = 0; ch < 3; ch++)
                {
                    double top = src[rowA + xa + ch] + (src[rowA + xb + ch] - src[rowA + xa + ch]) * dx;
                    double bottom = hasRowB ? src[rowB + xa + ch] + (src[rowB + xb + ch] - src[rowB + xa + ch]) * dx : top;
                    dst[o + ch] = (byte)(top + (bottom - top) * dy);
                }
            }
        }
    }

    /// <summary>timm <c>shear_x</c>: map <c>(1, factor, 0, 0, 1, 0)</c>.</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="factor">Shear factor (timm: ±0.3 at magnitude 10).</param>
    /// <param name="fill">Fill colour.</param>
    public static void ShearX(RgbPixels image, double factor, Rgb24 fill) => Transform(image, [1, factor, 0, 0, 1, 0], fill);

    /// <summary>timm <c>shear_y</c>: map <c>(1, 0, 0, factor, 1, 0)</c>.</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="factor">Shear factor.</param>
    /// <param name="fill">Fill colour.</param>
    public static void ShearY(RgbPixels image, double factor, Rgb24 fill) => Transform(image, [1, 0, 0, factor, 1, 0], fill);

    /// <summary>timm <c>translate_x_rel</c>: shift by <c>pct·W</c> pixels (positive = content moves left).</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="pct">Fraction of the width (timm: ±0.45 at magnitude 10).</param>
    /// <param name="fill">Fill colour.</param>
    public static void TranslateXRel(RgbPixels image, double pct, Rgb24 fill) => TranslateX(image, pct * image.Width, fill);

    /// <summary>timm <c>translate_y_rel</c>: shift by <c>pct·H</c> pixels (positive = content moves up).</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="pct">Fraction of the height.</param>
    /// <param name="fill">Fill colour.</param>
    public static void TranslateYRel(RgbPixels image, double pct, Rgb24 fill) => TranslateY(image, pct * image.Height, fill);

    /// <summary>timm <c>translate_x_abs</c>: map <c>(1, 0, pixels, 0, 1, 0)</c>.</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="pixels">Shift in pixels.</param>
    /// <param name="fill">Fill colour.</param>
    public static void TranslateX(RgbPixels image, double pixels, Rgb24 fill) => Transform(image, [1, 0, pixels, 0, 1, 0], fill);

    /// <summary>timm <c>translate_y_abs</c>: map <c>(1, 0, 0, 0, 1, pixels)</c>.</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="pixels">Shift in pixels.</param>
    /// <param name="fill">Fill colour.</param>
    public static void TranslateY(RgbPixels image, double pixels, Rgb24 fill) => Transform(image, [1, 0, 0, 0, 1, pixels], fill);

    /// <summary>PIL <c>Image.rotate(degrees, BILINEAR, fillcolor=fill)</c>: counter-clockwise about the centre, same size.</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="degrees">Angle in degrees, counter-clockwise (timm: ±30 at magnitude 10).</param>
    /// <param name="fill">Fill colour.</param>
    public static void Rotate(RgbPixels image, double degrees, Rgb24 fill)
    {
        double angle = degrees % 360.0;
        if (angle < 0) angle += 360.0; // Python's modulo
        if (angle == 0) return;
        double cx = image.Width / 2.0, cy = image.Height / 2.0;
        double radians = -(angle * (Math.PI / 180.0)); // math.radians multiplies by pi/180
        double cos = Math.Round(Math.Cos(radians), 15), sin = Math.Round(Math.Sin(radians), 15);
        double[] m = [cos, sin, 0.0, -sin, cos, 0.0];
        // The map sends output (x, y) to input (m0·x + m1·y + m2, …); fold "about the centre" into the offsets.
        m[2] = m[0] * -cx + m[1] * -cy + m[2] + cx;
        m[5] = m[3] * -cx + m[4] * -cy + m[5] + cy;
        Transform(image, m, fill);
    }
}
