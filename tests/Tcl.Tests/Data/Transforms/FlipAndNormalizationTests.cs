using Tcl.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data.Transforms;
using TorchSharp;
using Xunit;

namespace Tcl.Tests.Data.Transforms;

public class FlipAndNormalizationTests
{
    [Fact]
    public void FlipMirrorsRows()
    {
        var img = new RgbPixels(3, 2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
        img.FlipHorizontal();
        Assert.Equal(new byte[] { 7, 8, 9, 4, 5, 6, 1, 2, 3, 16, 17, 18, 13, 14, 15, 10, 11, 12 }, img.Data);
    }

    [Fact]
    public void MaybeFlipUsesOneDrawBelowProbability()
    {
        var img = new RgbPixels(2, 1, [1, 1, 1, 2, 2, 2]);
        Assert.False(img.MaybeFlipHorizontal(0.5, new ScriptedRandom([0.5])));
        Assert.Equal(1, img[0, 0, 0]);
        Assert.True(img.MaybeFlipHorizontal(0.5, new ScriptedRandom([0.49])));
        Assert.Equal(2, img[0, 0, 0]);
    }

    [Fact]
    public void NormalisationIsImageNetInFloat32()
    {
        using var image = new Image<Rgb24>(2, 1);
        image[0, 0] = new Rgb24(0, 128, 255);
        image[1, 0] = new Rgb24(124, 116, 104);
        using var t = TrainTransform.ToNormalizedTensor(image);
        Assert.Equal(new long[] { 3, 1, 2 }, t.shape);
        Assert.Equal(torch.ScalarType.Float32, t.dtype);
        var v = t.data<float>().ToArray(); // [R0 R1 G0 G1 B0 B1]
        Assert.Equal((0f / 255f - 0.485f) / 0.229f, v[0]);
        Assert.Equal((128f / 255f - 0.456f) / 0.224f, v[2]);
        Assert.Equal((255f / 255f - 0.406f) / 0.225f, v[4]);
        // The documented values, to the 7 significant digits they are written with (float32 has ~7.2).
        Near.Abs(-2.117904, v[0], 1e-6);
        Near.Abs(2.64, v[4], 1e-6);
        // The fill colour is (about) the mean, so it normalises to about zero.
        Assert.All(new[] { v[1], v[3], v[5] }, x => Assert.InRange(x, -0.02f, 0.02f));
    }

    [Fact]
    public void FillColourIsRoundedImageNetMean() =>
        Assert.Equal(new Rgb24(124, 116, 104), RandAugment.FillFromMean(ChannelStats.ImageNetMean));

    [Fact]
    public void PixelBufferRoundTripsThroughImageSharp()
    {
        var px = new RgbPixels(2, 2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        using var image = px.ToImage();
        Assert.Equal(new Rgb24(7, 8, 9), image[0, 1]);
        Assert.Equal(px.Data, RgbPixels.FromImage(image).Data);
    }
}
