using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Evaluation;
using Tcl.Visualization;
using Xunit;

namespace Tcl.Tests.Visualization;

/// <summary>Window outlines on the official protocol's VOC example (597×448 after the resize: two windows, x1 ∈ {0, 149}).</summary>
public class WindowBoxesTests
{
    private static readonly Rgb24 Grey = new(100, 100, 100);

    [Fact]
    public void OutlinesEachWindowInItsColourAndShadesTheOverlap()
    {
        var windows = WindowGrid.Slide(448, 597, 448, 224);
        Assert.Equal([new WindowBox(0, 448, 0, 448), new WindowBox(0, 448, 149, 597)], windows);
        using var image = new Image<Rgb24>(597, 448, Grey);

        using var drawn = WindowBoxes.Draw(image, windows, thickness: 3);

        Assert.Equal(Grey, image[0, 0]);                                  // input untouched
        Assert.Equal((597, 448), (drawn.Width, drawn.Height));
        Assert.Equal(WindowBoxes.Palette[0], drawn[0, 200]);              // left edge of window 0
        Assert.Equal(WindowBoxes.Palette[0], drawn[447, 200]);            // right edge of window 0 (inside the box)
        Assert.Equal(WindowBoxes.Palette[1], drawn[149, 200]);            // left edge of window 1
        Assert.Equal(WindowBoxes.Palette[1], drawn[596, 447]);            // bottom-right corner of window 1
        Assert.Equal(WindowBoxes.Palette[1], drawn[300, 1]);              // top edges overlap: the later window is on top
        Assert.Equal(Grey, drawn[50, 200]);                               // covered once: unchanged
        Assert.Equal(new Rgb24(80, 80, 80), drawn[300, 200]);             // covered twice: darkened by 0.2
        Assert.Equal(Grey, drawn[500, 200]);
    }

    [Fact]
    public void WithoutShadingOnlyOutlinesChangeAndBadWindowsAreRejected()
    {
        using var image = new Image<Rgb24>(64, 64, Grey);
        using var drawn = WindowBoxes.Draw(image, WindowGrid.Slide(64, 64, 64, 32), thickness: 1, shadeCoverage: false);
        Assert.Equal(WindowBoxes.Palette[0], drawn[0, 0]);
        Assert.Equal(WindowBoxes.Palette[0], drawn[63, 63]);
        Assert.Equal(Grey, drawn[1, 1]);
        Assert.Throws<ArgumentException>(() => WindowBoxes.Draw(image, [new WindowBox(0, 65, 0, 64)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowBoxes.Draw(image, [new WindowBox(0, 64, 0, 64)], thickness: 0));
    }
}
