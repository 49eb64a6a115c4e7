using Tcl.Data.Transforms;
using Xunit;

namespace Tcl.Tests.Data.Transforms;

/// <summary>Each LUT and enhance op on tiny images against values worked out by hand from PIL's formulas.</summary>
public class PixelOpsTests
{
    /// <summary>A W×1 image whose pixel i is (v, v, v) for the given v.</summary>
    private static RgbPixels Grey(params byte[] levels) =>
        new(levels.Length, 1, levels.SelectMany(v => new[] { v, v, v }).ToArray());

    private static byte[] Channel(RgbPixels img, int c) =>
        Enumerable.Range(0, img.Width * img.Height).Select(i => img.Data[i * 3 + c]).ToArray();

    [Fact]
    public void InvertSubtractsFrom255()
    {
        var img = new RgbPixels(2, 1, [0, 1, 128, 200, 254, 255]);
        PixelOps.Invert(img);
        Assert.Equal(new byte[] { 255, 254, 127, 55, 1, 0 }, img.Data);
    }

    [Fact]
    public void SolarizeInvertsAtAndAboveThreshold()
    {
        var img = Grey(0, 127, 128, 129, 255);
        PixelOps.Solarize(img, 128);
        Assert.Equal(new byte[] { 0, 127, 127, 126, 0 }, Channel(img, 0));
        var same = Grey(0, 255);
        PixelOps.Solarize(same, 256);
        Assert.Equal(new byte[] { 0, 255 }, Channel(same, 0));
    }

    [Fact]
    public void SolarizeAddSaturatesBelow128Only()
    {
        var img = Grey(0, 100, 127, 128, 250);
        PixelOps.SolarizeAdd(img, 99);
        Assert.Equal(new byte[] { 99, 199, 226, 128, 250 }, Channel(img, 0));
        var sat = Grey(127);
        PixelOps.SolarizeAdd(sat, 200);
        Assert.Equal(255, sat.Data[0]);
    }

    [Fact]
    public void PosterizeKeepsTopBits()
    {
        var img = Grey(0b1011_0111, 255, 15);
        PixelOps.Posterize(img, 2);
        Assert.Equal(new byte[] { 0b1000_0000, 0b1100_0000, 0 }, Channel(img, 0));
        var zero = Grey(255);
        PixelOps.Posterize(zero, 0);
        Assert.Equal(0, zero.Data[0]);
        var eight = Grey(77);
        PixelOps.Posterize(eight, 8);
        Assert.Equal(77, eight.Data[0]);
    }

    [Fact]
    public void AutoContrastStretchesEachChannel()
    {
        // R uses 50..150: scale 2.55, offset −127.5 → 50→0, 100→int(127.5)=127, 150→255. G constant: identity.
        var img = new RgbPixels(3, 1, [50, 9, 0, 100, 9, 128, 150, 9, 255]);
        PixelOps.AutoContrast(img);
        Assert.Equal(new byte[] { 0, 127, 255 }, Channel(img, 0));
        Assert.Equal(new byte[] { 9, 9, 9 }, Channel(img, 1));
        Assert.Equal(new byte[] { 0, 128, 255 }, Channel(img, 2)); // already full range
    }

    [Fact]
    public void EqualizeOfTwoLevelImageGivesBlackAndWhite()
    {
        // 32×32, half 50 and half 200: step = (1024 − 512) // 256 = 2; lut[50] = 1 // 2 = 0, lut[200] = 513 // 2 → 255 (clipped).
        var levels = Enumerable.Range(0, 1024).Select(i => (byte)(i < 512 ? 50 : 200)).ToArray();
        var img = new RgbPixels(32, 32, levels.SelectMany(v => new[] { v, v, v }).ToArray());
        PixelOps.Equalize(img);
        Assert.Equal(0, img[0, 0, 0]);
        Assert.Equal(255, img[31, 31, 2]);
        // Too few pixels (step 0) and a single level leave the image unchanged, as in PIL.
        var small = Grey(50, 200);
        PixelOps.Equalize(small);
        Assert.Equal(new byte[] { 50, 200 }, Channel(small, 0));
    }

    [Fact]
    public void LumaIsPillowFixedPoint()
    {
        Assert.Equal(76, EnhanceOps.Luma(255, 0, 0));   // 255·19595 + 32768 >> 16 = 76.7 → 76
        Assert.Equal(150, EnhanceOps.Luma(0, 255, 0));
        Assert.Equal(29, EnhanceOps.Luma(0, 0, 255));
        Assert.Equal(200, EnhanceOps.Luma(200, 200, 200));
    }

    [Fact]
    public void ColorZeroIsGreyAndOneIsIdentity()
    {
        var img = new RgbPixels(1, 1, [255, 0, 0]);
        EnhanceOps.Color(img, 0.0);
        Assert.Equal(new byte[] { 76, 76, 76 }, img.Data);
        var same = new RgbPixels(1, 1, [12, 34, 56]);
        EnhanceOps.Color(same, 1.0);
        Assert.Equal(new byte[] { 12, 34, 56 }, same.Data);
    }

    [Fact]
    public void ContrastBlendsWithRoundedMeanGrey()
    {
        // L values 0 and 255 → mean 127.5 → int(128.0) = 128. factor 0.5: 128 + 0.5·(0 − 128) = 64; 128 + 63.5 = 191.5 → 191.
        var img = Grey(0, 255);
        EnhanceOps.Contrast(img, 0.5);
        Assert.Equal(new byte[] { 64, 191 }, Channel(img, 0));
        // factor 1.9 extrapolates and clips: 128 + 1.9·(−128) < 0 → 0; 128 + 1.9·127 = 369.3 → 255.
        var strong = Grey(0, 255);
        EnhanceOps.Contrast(strong, 1.9);
        Assert.Equal(new byte[] { 0, 255 }, Channel(strong, 0));
    }

    [Fact]
    public void BrightnessScalesTowardsBlackWithTruncation()
    {
        var img = Grey(0, 101, 255);
        EnhanceOps.Brightness(img, 0.5);
        Assert.Equal(new byte[] { 0, 50, 127 }, Channel(img, 0));
        var bright = Grey(100, 200);
        EnhanceOps.Brightness(bright, 1.5);
        Assert.Equal(new byte[] { 150, 255 }, Channel(bright, 0));
    }

    [Fact]
    public void SmoothUsesPillowKernelAndKeepsBorder()
    {
        // 3×3 grey, centre 130, the rest 0: centre → 130·5/13 + 0.5 = 50.5 → 50; border copied.
        var levels = new byte[] { 0, 0, 0, 0, 130, 0, 0, 0, 0 };
        var img = new RgbPixels(3, 3, levels.SelectMany(v => new[] { v, v, v }).ToArray());
        var smooth = EnhanceOps.Smooth(img);
        Assert.Equal(50, smooth[1, 1, 0]);
        Assert.Equal(0, smooth[0, 0, 1]);
        // Sharpness 2: 50 + 2·(130 − 50) = 210 at the centre; border unchanged (blend of equal values).
        EnhanceOps.Sharpness(img, 2.0);
        Assert.Equal(210, img[1, 1, 2]);
        Assert.Equal(0, img[2, 2, 0]);
    }

    [Fact]
    public void SmoothLeavesTinyImagesUnchanged()
    {
        var img = Grey(10, 200);
        Assert.Equal(img.Data, EnhanceOps.Smooth(img).Data);
    }
}
