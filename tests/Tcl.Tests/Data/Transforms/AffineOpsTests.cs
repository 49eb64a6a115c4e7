using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data.Transforms;
using Xunit;

namespace Tcl.Tests.Data.Transforms;

public class AffineOpsTests
{
    private static readonly Rgb24 Fill = new(124, 116, 104);

    /// <summary>W×H image where pixel (x, y) = (10x, 10y, 1).</summary>
    private static RgbPixels Ramp(int w, int h)
    {
        var img = new RgbPixels(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                img[x, y, 0] = (byte)(10 * x);
                img[x, y, 1] = (byte)(10 * y);
                img[x, y, 2] = 1;
            }
        return img;
    }

    private static Rgb24 At(RgbPixels img, int x, int y) => new(img[x, y, 0], img[x, y, 1], img[x, y, 2]);

    [Fact]
    public void TranslateXRelShiftsContentLeftAndFills()
    {
        // W = 20, pct 0.45 (magnitude 10) → 9 px: out(x) = in(x + 9), the last 9 columns are fill.
        var img = Ramp(20, 4);
        AffineOps.TranslateXRel(img, 0.45, Fill);
        Assert.Equal(new Rgb24(90, 20, 1), At(img, 0, 2));
        Assert.Equal(new Rgb24(190, 0, 1), At(img, 10, 0));
        for (int x = 11; x < 20; x++) Assert.Equal(Fill, At(img, x, 3));
    }

    [Fact]
    public void NegativeTranslateYMovesContentDown()
    {
        var img = Ramp(3, 10);
        AffineOps.TranslateY(img, -2, Fill);
        Assert.Equal(Fill, At(img, 1, 0));
        Assert.Equal(Fill, At(img, 1, 1));
        Assert.Equal(new Rgb24(10, 0, 1), At(img, 1, 2));
        Assert.Equal(new Rgb24(20, 70, 1), At(img, 2, 9));
    }

    [Fact]
    public void HalfPixelTranslateInterpolatesAndTruncates()
    {
        // out(x) samples u − ½ = x + 0.5 → mean of columns x, x+1 (10x and 10x+10 → 10x + 5); the last column
        // samples u = W + 0.0 ≥ W → fill.
        var img = Ramp(4, 1);
        img[1, 0, 2] = 2; // blue 1, 2 → 1.5 → 1 (truncation, not rounding)
        AffineOps.TranslateX(img, 0.5, Fill);
        Assert.Equal(new Rgb24(5, 0, 1), At(img, 0, 0));
        Assert.Equal(new Rgb24(25, 0, 1), At(img, 2, 0));
        Assert.Equal(Fill, At(img, 3, 0));
    }

    [Fact]
    public void RotateZeroIsIdentity()
    {
        var img = Ramp(5, 4);
        var before = (byte[])img.Data.Clone();
        AffineOps.Rotate(img, 0, Fill);
        Assert.Equal(before, img.Data);
        AffineOps.Rotate(img, 360, Fill);
        Assert.Equal(before, img.Data);
    }

    [Fact]
    public void Rotate90OfSquareTurnsCounterClockwise()
    {
        // PIL rotate(90) on a square: out(x, y) = in(W − 1 − y, x); the top-left output pixel comes from the top-right input.
        var img = Ramp(4, 4);
        AffineOps.Rotate(img, 90, Fill);
        Assert.Equal(new Rgb24(30, 0, 1), At(img, 0, 0));
        Assert.Equal(new Rgb24(0, 0, 1), At(img, 0, 3));
        Assert.Equal(new Rgb24(30, 30, 1), At(img, 3, 0));
    }

    [Fact]
    public void ShearXIsAboutTheTopLeftCorner()
    {
        // factor 1: u = (x+½) + (y+½) → sample at x + y + ½ (PIL's edge-based shear): row 0 is half a pixel off,
        // row 2 samples columns x+2 and x+3, and u ≥ W gives fill.
        var img = Ramp(5, 3);
        AffineOps.ShearX(img, 1.0, Fill);
        Assert.Equal(new Rgb24(5, 0, 1), At(img, 0, 0));
        Assert.Equal(new Rgb24(25, 20, 1), At(img, 0, 2));
        Assert.Equal(new Rgb24(35, 20, 1), At(img, 1, 2));
        Assert.Equal(Fill, At(img, 2, 2));
        var y = Ramp(3, 5);
        AffineOps.ShearY(y, -1.0, Fill);
        Assert.Equal(Fill, At(y, 2, 0));
        Assert.Equal(new Rgb24(20, 0, 1), At(y, 2, 2));
    }
}
