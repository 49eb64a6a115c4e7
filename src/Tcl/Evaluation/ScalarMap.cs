using static TorchSharp.torch;

namespace Tcl.Evaluation;

/// <summary>
/// One scalar per cell of a grid — a similarity map, a soft or hard mask — as a plain row-major array with its size,
/// so inspection results can be drawn (<see cref="Tcl.Visualization.MaskOverlay"/>), compared with ground-truth
/// regions and summarised without touching tensors. Grids differ in size along TCL's path: the patch grid h×w of
/// CLIP, the grounder's mask grid 4h×4w, the image H×W.
/// </summary>
/// <param name="Values">Row-major <c>[Height, Width]</c>.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
public sealed record ScalarMap(float[] Values, int Width, int Height)
{
    /// <summary>The value at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public float this[int x, int y] => Values[y * Width + x];

    /// <summary>Smallest value.</summary>
    public float Min => Values.Min();

    /// <summary>Largest value.</summary>
    public float Max => Values.Max();

    /// <summary>Mean over all cells (for a mask in [0, 1]: the fraction of the grid it covers).</summary>
    public double Mean => Values.Average(v => (double)v);

    /// <summary>Each plane of a <c>[K, H, W]</c> tensor (or one <c>[H, W]</c> plane) as a map, copied to the CPU as float32.</summary>
    public static IReadOnlyList<ScalarMap> FromPlanes(Tensor planes)
    {
        ArgumentNullException.ThrowIfNull(planes);
        using var scope = NewDisposeScope();
        var p = planes.dim() == 2 ? planes.unsqueeze(0) : planes;
        if (p.dim() != 3) throw new ArgumentException($"Expected planes [K, H, W] or [H, W], got [{string.Join(", ", planes.shape)}].", nameof(planes));
        int k = (int)p.shape[0], h = (int)p.shape[1], w = (int)p.shape[2];
        var cpu = p.to(float32, CPU).contiguous();
        return Enumerable.Range(0, k).Select(i => new ScalarMap(cpu[i].data<float>().ToArray(), w, h)).ToList();
    }

    /// <summary>
    /// This map resized to <paramref name="width"/>×<paramref name="height"/>, bilinear with half-pixel centres
    /// (PyTorch's <c>align_corners = False</c>, the way the segmenter upsamples masks); the same map when the size agrees.
    /// </summary>
    public ScalarMap Resized(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (width == Width && height == Height) return this;
        return new ScalarMap(Bilinear(Values, Width, Height, width, height), width, height);
    }

    /// <summary>
    /// Bilinear resize of a row-major plane, half-pixel centres (PyTorch's <c>align_corners=False</c>), edges clamped:
    /// <c>[sh, sw]</c> → <c>[dh, dw]</c>. The one implementation behind <see cref="Resized"/> and the mask overlays.
    /// </summary>
    internal static float[] Bilinear(float[] source, int sw, int sh, int dw, int dh)
    {
        var output = new float[dw * dh];
        for (int y = 0; y < dh; y++)
        {
            double sy = Math.Clamp((y + 0.5) * sh / dh - 0.5, 0, sh - 1);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, sh - 1);
            double fy = sy - y0;
            for (int x = 0; x < dw; x++)
            {
                double sx = Math.Clamp((x + 0.5) * sw / dw - 0.5, 0, sw - 1);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, sw - 1);
                double fx = sx - x0;
                double top = source[y0 * sw + x0] * (1 - fx) + source[y0 * sw + x1] * fx;
                double bottom = source[y1 * sw + x0] * (1 - fx) + source[y1 * sw + x1] * fx;
                output[y * dw + x] = (float)(top * (1 - fy) + bottom * fy);
            }
        }
        return output;
    }

    /// <summary>The map as 0/1: 1 where the value is strictly above <paramref name="threshold"/> (what an IoU counts as "in the mask").</summary>
    public ScalarMap Thresholded(double threshold) => this with { Values = Values.Select(v => v > threshold ? 1f : 0f).ToArray() };

    /// <summary>Fraction of the cells strictly above <paramref name="threshold"/>.</summary>
    public double Area(double threshold) => Values.Count(v => v > threshold) / (double)Values.Length;

    /// <summary>
    /// Intersection over union of the cells above <paramref name="threshold"/> with a ground-truth region of the same
    /// grid (resize first with <see cref="Resized"/>); 1 when both are empty.
    /// </summary>
    /// <param name="region">Row-major <c>[Height, Width]</c>, true inside the region.</param>
    /// <param name="threshold">A cell is in the mask when its value is strictly greater.</param>
    public double IoU(bool[] region, double threshold)
    {
        CheckRegion(region);
        int intersection = 0, union = 0;
        for (int i = 0; i < Values.Length; i++)
        {
            bool on = Values[i] > threshold;
            if (on && region[i]) intersection++;
            if (on || region[i]) union++;
        }
        return union == 0 ? 1.0 : (double)intersection / union;
    }

    /// <summary>
    /// Mean value inside a region minus the mean outside it: how much a map singles the region out (0 for a map that
    /// does not depend on position; NaN when the region or its complement is empty).
    /// </summary>
    /// <param name="region">Row-major <c>[Height, Width]</c>, true inside the region.</param>
    public double Contrast(bool[] region)
    {
        CheckRegion(region);
        double inside = 0, outside = 0;
        int nIn = 0, nOut = 0;
        for (int i = 0; i < Values.Length; i++)
        {
            if (region[i]) { inside += Values[i]; nIn++; }
            else { outside += Values[i]; nOut++; }
        }
        return nIn == 0 || nOut == 0 ? double.NaN : inside / nIn - outside / nOut;
    }

    private void CheckRegion(bool[] region)
    {
        ArgumentNullException.ThrowIfNull(region);
        if (region.Length != Values.Length)
            throw new ArgumentException($"The region has {region.Length} cells, the map {Width}×{Height} = {Values.Length}; resize the map first.", nameof(region));
    }
}
