using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data.Transforms;
using Xunit;

namespace Tcl.Tests.Data.Transforms;

public class RandomResizedCropTests
{
    private static readonly Interval Scale = new(0.08, 1.0), Ratio = new(3.0 / 4.0, 4.0 / 3.0);

    [Fact]
    public void FirstAttemptFollowsTorchvisionFormulas()
    {
        // 100×50 image, area 5000. u=0.5 → scale 0.54 → target 2700; u=0.5 → log-ratio midpoint 0 → aspect 1.
        // w = h = round(sqrt(2700)) = round(51.96) = 52 > H=50 → rejected. Second attempt: u=0 → 400, aspect 1 → 20×20.
        var random = new ScriptedRandom([0.5, 0.5, 0.0, 0.5], [7, 33]);
        var box = RandomResizedCrop.GetParams(100, 50, Scale, Ratio, random);
        Assert.Equal(new CropBox(Top: 7, Left: 33, Height: 20, Width: 20), box);
        Assert.Equal(0, random.DoublesLeft);
        Assert.Equal(0, random.IntsLeft);
    }

    [Fact]
    public void AspectIsWidthOverHeight()
    {
        // scale u=1 → 1.0·area; log-ratio u=1 → aspect 4/3: w = round(sqrt(10000·4/3)) = 115 > 100 → rejected;
        // then area 0.08+0.92·0.25 = 0.31 → 3100, aspect exp(log(3/4)) = 0.75: w = round(48.22) = 48, h = round(64.29) = 64.
        var random = new ScriptedRandom([1.0, 1.0, 0.25, 0.0], [0, 52]);
        var box = RandomResizedCrop.GetParams(100, 100, Scale, Ratio, random);
        Assert.Equal(new CropBox(0, 52, 64, 48), box);
    }

    [Fact]
    public void FallbackIsCentralCropClampedToRatio()
    {
        // Every attempt asks for the whole area at aspect 4/3 of a square → too wide: 10 attempts, 20 draws, no ints.
        var random = new ScriptedRandom(Enumerable.Repeat(1.0, 20));
        var square = RandomResizedCrop.GetParams(100, 100, new Interval(1, 1), Ratio, random);
        Assert.Equal(new CropBox(0, 0, 100, 100), square); // in-range aspect: whole image
        Assert.Equal(0, random.DoublesLeft);

        // A 400×100 strip (aspect 4) is clamped to 4/3: h = 100, w = round(133.33) = 133, centred.
        Assert.Equal(new CropBox(0, 133, 100, 133), RandomResizedCrop.CentralFallback(400, 100, Ratio));
        // A 100×400 strip (aspect 1/4) → w = 100, h = round(100 / 0.75) = 133.
        Assert.Equal(new CropBox(133, 0, 133, 100), RandomResizedCrop.CentralFallback(100, 400, Ratio));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SampledBoxesStayInsideImageAndRanges(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < 500; i++)
        {
            int width = random.Next(8, 300), height = random.Next(8, 300);
            var b = RandomResizedCrop.GetParams(width, height, Scale, Ratio, random);
            Assert.InRange(b.Top, 0, height - b.Height);
            Assert.InRange(b.Left, 0, width - b.Width);
            Assert.True(b.Width > 0 && b.Height > 0);
        }
    }

    [Fact]
    public void ApplyResizesToSquareAndLeavesSourceAlone()
    {
        using var image = new Image<Rgb24>(40, 30, new Rgb24(10, 20, 30));
        image[5, 5] = new Rgb24(200, 0, 0);
        using var crop = RandomResizedCrop.Apply(image, 16, Scale, Ratio, new Random(0));
        Assert.Equal((16, 16), (crop.Width, crop.Height));
        Assert.Equal(new Rgb24(200, 0, 0), image[5, 5]);
        Assert.Equal((40, 30), (image.Width, image.Height));
    }

    [Fact]
    public void CropOfExactSizeCopiesPixels()
    {
        using var image = new Image<Rgb24>(6, 6);
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 6; x++)
                image[x, y] = new Rgb24((byte)(10 * x), (byte)(10 * y), 7);
        using var crop = RandomResizedCrop.CropAndResize(image, new CropBox(Top: 1, Left: 2, Height: 3, Width: 3), 3);
        Assert.Equal(new Rgb24(20, 10, 7), crop[0, 0]);
        Assert.Equal(new Rgb24(40, 30, 7), crop[2, 2]);
    }
}
