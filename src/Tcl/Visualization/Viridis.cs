using SixLabors.ImageSharp.PixelFormats;

namespace Tcl.Visualization;

/// <summary>
/// The viridis colormap (matplotlib's default): perceptually uniform and readable in greyscale and by most colour-blind
/// readers, so a similarity map's brightness means the same thing everywhere on the scale. Ten stops sampled from
/// matplotlib at <c>linspace(0, 1, 10)</c>, linearly interpolated in RGB; close enough to the full 256-entry table
/// for figures and small enough to read.
/// </summary>
public static class Viridis
{
    // [10, 3] RGB stops at t = i / 9.
    private static readonly byte[,] Stops =
    {
        { 0x44, 0x01, 0x54 }, { 0x48, 0x28, 0x78 }, { 0x3e, 0x49, 0x89 }, { 0x31, 0x68, 0x8e }, { 0x26, 0x82, 0x8e },
        { 0x1f, 0x9e, 0x89 }, { 0x35, 0xb7, 0x79 }, { 0x6e, 0xce, 0x58 }, { 0xb5, 0xde, 0x2b }, { 0xfd, 0xe7, 0x25 },
    };

    /// <summary>The colour of <paramref name="t"/> in [0, 1] (clamped); NaN maps to black, so missing values stand out.</summary>
    public static Rgb24 Map(double t)
    {
        if (double.IsNaN(t)) return new Rgb24(0, 0, 0);
        t = Math.Clamp(t, 0, 1);
        int last = Stops.GetLength(0) - 1;
        double position = t * last;
        int i = Math.Min((int)Math.Floor(position), last - 1);
        double f = position - i;
        return new Rgb24(Lerp(Stops[i, 0], Stops[i + 1, 0], f), Lerp(Stops[i, 1], Stops[i + 1, 1], f), Lerp(Stops[i, 2], Stops[i + 1, 2], f));
    }

    private static byte Lerp(byte a, byte b, double f) => (byte)Math.Round(a + (b - a) * f);
}
