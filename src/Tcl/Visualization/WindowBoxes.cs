using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Evaluation;

namespace Tcl.Visualization;

/// <summary>
/// Pictures of the sliding-window protocol (mmseg's <c>slide_inference</c>, crop 448, stride 224): the
/// <see cref="WindowGrid"/> boxes of an image drawn as coloured outlines, optionally over a shading of how many windows
/// cover each pixel (the divisor of the window average, mmseg's <c>count_mat</c>). Pure pixel arithmetic like
/// <see cref="MaskOverlay"/>; returns a new image.
/// </summary>
public static class WindowBoxes
{
    /// <summary>Outline colours, cycled over the windows in call order.</summary>
    public static IReadOnlyList<Rgb24> Palette { get; } =
    [
        new(255, 64, 64), new(64, 160, 255), new(255, 200, 0), new(40, 200, 90),
        new(220, 80, 255), new(255, 130, 30), new(0, 220, 220), new(255, 255, 255),
    ];

    /// <summary>
    /// Draws each window's outline (<paramref name="thickness"/> pixels, inside the box) in its palette colour. With
    /// <paramref name="shadeCoverage"/>, pixels covered by n windows are darkened by <c>(n − 1)·0.2</c> (capped at 0.6),
    /// so the overlaps — where scores of several windows are averaged — stand out.
    /// </summary>
    /// <param name="image">The (pre-processed) image the windows were computed for; not modified.</param>
    /// <param name="windows">Boxes, e.g. <see cref="WindowGrid.Slide(int, int, int, int)"/> of the image's size.</param>
    /// <param name="thickness">Outline width in pixels (≥ 1).</param>
    /// <param name="shadeCoverage">Darken pixels by how many windows cover them.</param>
    /// <exception cref="ArgumentException">A window lies (partly) outside the image, or the thickness is below 1.</exception>
    public static Image<Rgb24> Draw(Image<Rgb24> image, IReadOnlyList<WindowBox> windows, int thickness = 2, bool shadeCoverage = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentOutOfRangeException.ThrowIfLessThan(thickness, 1);
        int w = image.Width, h = image.Height;
        foreach (var box in windows)
            if (box.X1 < 0 || box.Y1 < 0 || box.X2 > w || box.Y2 > h || box.Width < 1 || box.Height < 1)
                throw new ArgumentException($"Window y {box.Y1}..{box.Y2}, x {box.X1}..{box.X2} is not inside the {w}×{h} image.", nameof(windows));
        var output = image.Clone();
        if (shadeCoverage && windows.Count > 0)
        {
            var coverage = WindowGrid.Coverage(h, w, windows);                 // [H·W]
            output.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (int x = 0; x < row.Length; x++)
                    {
                        double dark = Math.Min(0.6, 0.2 * Math.Max(0, coverage[y * w + x] - 1));
                        var p = row[x];
                        row[x] = new Rgb24(Scale(p.R, 1 - dark), Scale(p.G, 1 - dark), Scale(p.B, 1 - dark));
                    }
                }
            });
        }
        for (int i = 0; i < windows.Count; i++)
            Outline(output, windows[i], Math.Min(thickness, Math.Min(windows[i].Width, windows[i].Height)), Palette[i % Palette.Count]);
        return output;
    }

    private static void Outline(Image<Rgb24> image, WindowBox box, int t, Rgb24 colour)
    {
        image.ProcessPixelRows(rows =>
        {
            for (int y = box.Y1; y < box.Y2; y++)
            {
                var row = rows.GetRowSpan(y);
                bool edgeRow = y < box.Y1 + t || y >= box.Y2 - t;
                for (int x = box.X1; x < box.X2; x++)
                    if (edgeRow || x < box.X1 + t || x >= box.X2 - t)
                        row[x] = colour;
            }
        });
    }

    private static byte Scale(byte v, double f) => (byte)Math.Clamp(Math.Round(v * f), 0, 255);
}
