using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Evaluation;
using Tcl.IO;

namespace Tcl.Visualization;

/// <summary>
/// Pictures of what a segmenter sees: soft masks and label maps laid over the input image, similarity heatmaps, and
/// simple composition (crisp upscaling, side-by-side rows) for reports and notebooks. Pure pixel arithmetic on
/// ImageSharp <see cref="Image{Rgb24}"/> (no ImageSharp.Drawing, which cannot be restored here, so no text: captions
/// belong to the HTML around the picture). Every method returns a new image and never modifies its inputs.
/// </summary>
public static class MaskOverlay
{
    /// <summary>
    /// Tints <paramref name="image"/> with <paramref name="colour"/> where the soft mask is on:
    /// <c>out = image·(1 − alpha·m) + colour·alpha·m</c>, so m = 0 leaves a pixel as it is and m = 1 gives the full tint.
    /// A mask of another size (e.g. the model's H/16 × W/16 grid) is resized bilinearly to the image first, the way the
    /// segmenter upsamples its logits.
    /// </summary>
    /// <param name="image">The picture; not modified.</param>
    /// <param name="maskWidth">Mask width in cells.</param>
    /// <param name="maskHeight">Mask height in cells.</param>
    /// <param name="colour">The tint.</param>
    /// <param name="alpha">Tint strength where the mask is 1.</param>
    /// <param name="mask">Row-major <c>[maskHeight, maskWidth]</c> values in [0, 1] (clamped; NaN counts as 0).</param>
    public static Image<Rgb24> Blend(Image<Rgb24> image, float[] mask, int maskWidth, int maskHeight, Rgb24 colour, double alpha = 0.55)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckPlane(mask, maskWidth, maskHeight, nameof(mask));
        var m = maskWidth == image.Width && maskHeight == image.Height
            ? mask
            : ScalarMap.Bilinear(mask, maskWidth, maskHeight, image.Width, image.Height);   // [H, W]
        var output = image.Clone();
        output.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    float v = m[y * row.Length + x];
                    double w = alpha * (float.IsNaN(v) ? 0 : Math.Clamp(v, 0f, 1f));
                    row[x] = Mix(row[x], colour, w);
                }
            }
        });
        return output;
    }

    /// <summary>
    /// Tints a ground-truth region (e.g. <c>SceneQuery.Region</c>) over <paramref name="image"/>: a 0/1 mask blend, same
    /// arithmetic as <see cref="Blend(Image{Rgb24}, float[], int, int, Rgb24, double)"/>.
    /// </summary>
    /// <param name="image">The picture; not modified.</param>
    /// <param name="region">Row-major, one entry per pixel of <paramref name="image"/>.</param>
    /// <param name="colour">The tint.</param>
    /// <param name="alpha">Tint strength inside the region.</param>
    public static Image<Rgb24> Region(Image<Rgb24> image, bool[] region, Rgb24 colour, double alpha = 0.55)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(region);
        return Blend(image, region.Select(r => r ? 1f : 0f).ToArray(), image.Width, image.Height, colour, alpha);
    }

    /// <summary>
    /// The picture image-level TCL feeds to CLIP: pixels where the (hard) mask, nearest-upsampled to the image, is
    /// above 0.5 are kept, the others replaced by <paramref name="fill"/> — by default the ImageNet mean colour, which is
    /// what multiplying the normalised image by a 0/1 mask produces (<c>pos_mask * image</c> in the official
    /// <c>TCL.forward</c>).
    /// </summary>
    /// <param name="image">The picture; not modified.</param>
    /// <param name="mask">The mask on any grid.</param>
    /// <param name="fill">Colour of masked-out pixels (default ImageNet mean, 124/116/104).</param>
    public static Image<Rgb24> Masked(Image<Rgb24> image, ScalarMap mask, Rgb24? fill = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mask);
        var colour = fill ?? new Rgb24(124, 116, 104);
        var output = image.Clone();
        output.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                int sy = (int)((long)y * mask.Height / rows.Height);       // nearest, as F.interpolate(mode: nearest)
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                    if (!(mask.Values[sy * mask.Width + (int)((long)x * mask.Width / row.Length)] > 0.5f)) row[x] = colour;
            }
        });
        return output;
    }

    /// <summary>
    /// Colour-codes a label map over <paramref name="image"/>: each labelled pixel becomes
    /// <c>image·(1 − alpha) + palette[label]·alpha</c>. Pixels with <paramref name="ignoreIndex"/>, labels past the end of
    /// the palette and, with <paramref name="skipZero"/>, label 0 (background in the with-background protocol) are left
    /// unchanged, so the picture shows only what was predicted. A label map of another size is resized nearest-neighbour.
    /// </summary>
    /// <param name="image">The picture; not modified.</param>
    /// <param name="labels">Row-major <c>[height, width]</c> class indices.</param>
    /// <param name="width">Label map width.</param>
    /// <param name="height">Label map height.</param>
    /// <param name="alpha">Tint strength of a labelled pixel.</param>
    /// <param name="ignoreIndex">The "not annotated" label (255 in VOC-style PNGs).</param>
    /// <param name="skipZero">Leave label 0 (background) uncoloured.</param>
    /// <param name="palette">3 bytes (R, G, B) per label, e.g. <see cref="LabelPng.VocPalette"/>.</param>
    public static Image<Rgb24> Labels(Image<Rgb24> image, byte[] labels, int width, int height, byte[] palette,
        double alpha = 0.5, int ignoreIndex = 255, bool skipZero = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(palette);
        CheckPlane(labels, width, height, nameof(labels));
        int entries = palette.Length / 3;
        var output = image.Clone();
        output.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                int sy = (int)((long)y * height / rows.Height);
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    int sx = (int)((long)x * width / row.Length);
                    int label = labels[sy * width + sx];
                    if (label == ignoreIndex || label >= entries || (skipZero && label == 0)) continue;
                    row[x] = Mix(row[x], new Rgb24(palette[3 * label], palette[3 * label + 1], palette[3 * label + 2]), alpha);
                }
            }
        });
        return output;
    }

    /// <summary>
    /// A <paramref name="width"/>×<paramref name="height"/> picture of a scalar map (e.g. a class's similarity map) in the
    /// viridis colormap: <paramref name="min"/> is dark purple, <paramref name="max"/> yellow, values outside are clamped.
    /// </summary>
    /// <param name="values">Row-major <c>[height, width]</c>.</param>
    /// <param name="width">Map width.</param>
    /// <param name="height">Map height.</param>
    /// <param name="min">The value drawn darkest.</param>
    /// <param name="max">The value drawn brightest.</param>
    public static Image<Rgb24> Heatmap(float[] values, int width, int height, double min = 0, double max = 1)
    {
        CheckPlane(values, width, height, nameof(values));
        if (!(max > min)) throw new ArgumentOutOfRangeException(nameof(max), $"max ({max}) must be greater than min ({min}).");
        var output = new Image<Rgb24>(width, height);
        output.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < width; x++) row[x] = Viridis.Map((values[y * width + x] - min) / (max - min));
            }
        });
        return output;
    }

    /// <summary>
    /// A map (e.g. an 8×8 patch-grid similarity or a 32×32 mask) drawn as a <paramref name="width"/>×<paramref name="height"/>
    /// viridis picture, each cell a crisp block (nearest neighbour), so maps of different grids line up with the same
    /// upscaled image and the grid stays visible. <paramref name="min"/> is dark purple, <paramref name="max"/> yellow.
    /// </summary>
    /// <param name="map">The values.</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    /// <param name="min">The value drawn darkest.</param>
    /// <param name="max">The value drawn brightest.</param>
    public static Image<Rgb24> Heatmap(ScalarMap map, int width, int height, double min = 0, double max = 1)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var values = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            int sy = (int)((long)y * map.Height / height);
            for (int x = 0; x < width; x++) values[y * width + x] = map.Values[sy * map.Width + (int)((long)x * map.Width / width)];
        }
        return Heatmap(values, width, height, min, max);
    }

    /// <summary>
    /// Several maps drawn with one shared scale (the smallest value of all is darkest, the largest brightest), so equal
    /// colours mean equal values across the pictures — the fair way to compare, e.g., two kinds of similarity maps.
    /// </summary>
    /// <param name="maps">The maps (any grids).</param>
    /// <param name="width">Picture width in pixels.</param>
    /// <param name="height">Picture height in pixels.</param>
    public static IReadOnlyList<Image<Rgb24>> Heatmaps(IReadOnlyList<ScalarMap> maps, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(maps);
        if (maps.Count == 0) return [];
        double min = maps.Min(m => m.Min), max = maps.Max(m => m.Max);
        if (!(max > min)) max = min + 1;                       // all maps constant: draw them darkest
        return maps.Select(m => Heatmap(m, width, height, min, max)).ToList();
    }

    /// <summary>
    /// <see cref="Blend(Image{Rgb24}, float[], int, int, Rgb24, double)"/> with a <see cref="ScalarMap"/> mask (resized
    /// bilinearly to the image when its grid differs).
    /// </summary>
    public static Image<Rgb24> Blend(Image<Rgb24> image, ScalarMap mask, Rgb24 colour, double alpha = 0.55)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Blend(image, mask.Values, mask.Width, mask.Height, colour, alpha);
    }

    /// <summary>
    /// Enlarges by an integer <paramref name="factor"/>, nearest neighbour, so the 64×64 synthetic images and their
    /// patch-level masks stay crisp instead of being blurred by the browser.
    /// </summary>
    public static Image<Rgb24> Upscale(Image<Rgb24> image, int factor)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1);
        var output = new Image<Rgb24>(image.Width * factor, image.Height * factor);
        for (int y = 0; y < output.Height; y++)
            for (int x = 0; x < output.Width; x++)
                output[x, y] = image[x / factor, y / factor];
        return output;
    }

    /// <summary>
    /// Places <paramref name="images"/> side by side, top aligned, <paramref name="gap"/> pixels apart, on
    /// <paramref name="background"/> (white by default): image | overlay | ground truth in one picture.
    /// </summary>
    public static Image<Rgb24> Row(IReadOnlyList<Image<Rgb24>> images, int gap = 4, Rgb24? background = null) =>
        Concatenate(images, gap, background, horizontal: true);

    /// <summary>Images one above the other, left aligned, <paramref name="gap"/> pixels apart (e.g. two methods' masks).</summary>
    public static Image<Rgb24> Column(IReadOnlyList<Image<Rgb24>> images, int gap = 4, Rgb24? background = null) =>
        Concatenate(images, gap, background, horizontal: false);

    private static Image<Rgb24> Concatenate(IReadOnlyList<Image<Rgb24>> images, int gap, Rgb24? background, bool horizontal)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new ArgumentException($"A {(horizontal ? "row" : "column")} needs at least one image.", nameof(images));
        ArgumentOutOfRangeException.ThrowIfNegative(gap);
        int along = images.Sum(i => horizontal ? i.Width : i.Height) + gap * (images.Count - 1);
        int across = images.Max(i => horizontal ? i.Height : i.Width);
        var output = horizontal
            ? new Image<Rgb24>(along, across, background ?? new Rgb24(255, 255, 255))
            : new Image<Rgb24>(across, along, background ?? new Rgb24(255, 255, 255));
        int offset = 0;
        foreach (var image in images)
        {
            for (int y = 0; y < image.Height; y++)
                for (int x = 0; x < image.Width; x++)
                    if (horizontal) output[offset + x, y] = image[x, y];
                    else output[x, offset + y] = image[x, y];
            offset += (horizontal ? image.Width : image.Height) + gap;
        }
        return output;
    }

    /// <summary>The image as a <c>data:image/png;base64,…</c> URI, for inlining in self-contained HTML.</summary>
    public static string ToPngDataUri(Image<Rgb24> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var buffer = new MemoryStream();
        image.SaveAsPng(buffer);
        return "data:image/png;base64," + Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes the image as PNG, atomically (<see cref="AtomicFile"/>): never a half-written picture.</summary>
    public static void SavePng(Image<Rgb24> image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        AtomicFile.Write(path, stream => image.SaveAsPng(stream));
    }

    private static Rgb24 Mix(Rgb24 pixel, Rgb24 colour, double w) => new(
        Channel(pixel.R * (1 - w) + colour.R * w), Channel(pixel.G * (1 - w) + colour.G * w), Channel(pixel.B * (1 - w) + colour.B * w));

    private static byte Channel(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private static void CheckPlane<T>(T[] plane, int width, int height, string name)
    {
        ArgumentNullException.ThrowIfNull(plane, name);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (plane.Length != (long)width * height)
            throw new ArgumentException($"{name} has {plane.Length} values, expected {width}×{height} = {(long)width * height}.", name);
    }
}
