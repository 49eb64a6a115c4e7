namespace Tcl.Data.Transforms;

/// <summary>
/// The per-channel look-up-table ops of RandAugment, as PIL's <c>ImageOps</c> computes them on an "RGB" image
/// (each channel has its own 256-bin histogram and its own table; all ops act in place):
/// <list type="bullet">
/// <item><c>autocontrast</c> (cutoff 0): <c>lut[i] = clamp(int(i·scale + offset))</c> with <c>scale = 255/(hi − lo)</c>,
///   <c>offset = −lo·scale</c>, lo/hi the darkest/brightest used level; identity when <c>hi ≤ lo</c>.</item>
/// <item><c>equalize</c>: <c>step = (N − count of the brightest used level) // 256</c>, <c>lut[i] = (step//2 + Σ_{j&lt;i} h[j]) // step</c>,
///   clipped to 255 as <c>Image.point</c> does; identity when one level or <c>step = 0</c>.</item>
/// <item><c>invert</c> 255 − i; <c>posterize(bits)</c> <c>i &amp; ~(2^(8−bits) − 1)</c>; <c>solarize(t)</c> i below t, else 255 − i;
///   timm's <c>solarize_add(add, 128)</c> <c>min(255, i + add)</c> below 128.</item>
/// </list>
/// No deviation from PIL is known for 8-bit RGB.
/// </summary>
public static class PixelOps
{
    /// <summary>Applies one 256-entry table per channel (PIL <c>Image.point</c> with a 768-entry list).</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="luts">Three tables of 256 bytes, R, G, B.</param>
    public static void ApplyLuts(RgbPixels image, byte[][] luts)
    {
        var data = image.Data;
        for (int i = 0; i < data.Length; i += 3)
        {
            data[i] = luts[0][data[i]];
            data[i + 1] = luts[1][data[i + 1]];
            data[i + 2] = luts[2][data[i + 2]];
        }
    }

    /// <summary>Applies the same table to all channels.</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="lut">256 bytes.</param>
    public static void ApplyLut(RgbPixels image, byte[] lut) => ApplyLuts(image, [lut, lut, lut]);

    /// <summary>The 3×256 histogram of PIL's <c>Image.histogram()</c> (channel-major).</summary>
    /// <param name="image">Source.</param>
    /// <returns><c>[3][256]</c> pixel counts.</returns>
    public static long[][] Histogram(RgbPixels image)
    {
        var hist = new long[3][];
        for (int c = 0; c < 3; c++) hist[c] = new long[256];
        var data = image.Data;
        for (int i = 0; i < data.Length; i += 3)
        {
            hist[0][data[i]]++;
            hist[1][data[i + 1]]++;
            hist[2][data[i + 2]]++;
        }
        return hist;
    }

    /// <summary>PIL <c>ImageOps.autocontrast(image)</c>: stretch each channel's used range to 0..255.</summary>
    /// <param name="image">Changed in place.</param>
    public static void AutoContrast(RgbPixels image)
    {
        var hist = Histogram(image);
        var luts = new byte[3][];
        for (int c = 0; c < 3; c++)
        {
            var h = hist[c];
            int lo = 0, hi = 255;
            while (lo < 255 && h[lo] == 0) lo++;
            while (hi > 0 && h[hi] == 0) hi--;
            var lut = luts[c] = Identity();
            if (hi <= lo) continue;
            double scale = 255.0 / (hi - lo);
            double offset = -lo * scale;
            for (int i = 0; i < 256; i++) lut[i] = (byte)Math.Clamp((int)(i * scale + offset), 0, 255);
        }
        ApplyLuts(image, luts);
    }

    /// <summary>PIL <c>ImageOps.equalize(image)</c>: per-channel histogram equalisation.</summary>
    /// <param name="image">Changed in place.</param>
    public static void Equalize(RgbPixels image)
    {
        var hist = Histogram(image);
        var luts = new byte[3][];
        for (int c = 0; c < 3; c++)
        {
            var h = hist[c];
            var lut = luts[c] = Identity();
            long total = 0, last = 0;
            int used = 0;
            for (int i = 0; i < 256; i++)
            {
                if (h[i] == 0) continue;
                total += h[i];
                last = h[i];
                used++;
            }
            if (used <= 1) continue;
            long step = (total - last) / 256;
            if (step == 0) continue;
            long n = step / 2;
            for (int i = 0; i < 256; i++)
            {
                lut[i] = (byte)Math.Min(255, n / step);
                n += h[i];
            }
        }
        ApplyLuts(image, luts);
    }

    /// <summary>PIL <c>ImageOps.invert</c>: 255 − v.</summary>
    /// <param name="image">Changed in place.</param>
    public static void Invert(RgbPixels image)
    {
        var data = image.Data;
        for (int i = 0; i < data.Length; i++) data[i] = (byte)(255 - data[i]);
    }

    /// <summary>PIL <c>ImageOps.posterize(image, bits)</c>: keep the <paramref name="bits"/> most significant bits (timm: no-op from 8 bits).</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="bits">Bits kept, 0..8 (0 gives black).</param>
    public static void Posterize(RgbPixels image, int bits)
    {
        if (bits >= 8) return;
        if (bits < 0) throw new ArgumentOutOfRangeException(nameof(bits), bits, "posterize keeps 0 to 8 bits");
        byte mask = (byte)~((1 << (8 - bits)) - 1);
        var data = image.Data;
        for (int i = 0; i < data.Length; i++) data[i] &= mask;
    }

    /// <summary>PIL <c>ImageOps.solarize(image, threshold)</c>: invert every value at or above the threshold.</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="threshold">Values <c>v ≥ threshold</c> become 255 − v (256 = no-op).</param>
    public static void Solarize(RgbPixels image, int threshold)
    {
        var lut = new byte[256];
        for (int i = 0; i < 256; i++) lut[i] = (byte)(i < threshold ? i : 255 - i);
        ApplyLut(image, lut);
    }

    /// <summary>timm's <c>solarize_add(img, add, thresh=128)</c>: add to every value below the threshold, saturating at 255.</summary>
    /// <param name="image">Changed in place.</param>
    /// <param name="add">Amount added (timm: 0..110).</param>
    /// <param name="threshold">Only values below it change (timm: 128).</param>
    public static void SolarizeAdd(RgbPixels image, int add, int threshold = 128)
    {
        var lut = new byte[256];
        for (int i = 0; i < 256; i++) lut[i] = (byte)(i < threshold ? Math.Min(255, i + add) : i);
        ApplyLut(image, lut);
    }

    private static byte[] Identity()
    {
        var lut = new byte[256];
        for (int i = 0; i < 256; i++) lut[i] = (byte)i;
        return lut;
    }
}
