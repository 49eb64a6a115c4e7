using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data.Transforms;
using Tcl.Evaluation;
using Xunit;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// The mmseg test pipeline: keep-ratio sizes (worked examples for <c>img_scale</c> (2048, 448)) and the OpenCV
/// INTER_LINEAR re-implementation against hand-computed values and properties (no OpenCV here to compare with), plus
/// the normalisation.
/// </summary>
public sealed class EvalImagePreprocessorTests
{
    private readonly EvalImagePreprocessor _pre = new(EvaluationProtocol.Official);

    [Theory]
    [InlineData(500, 375, 597, 448)]
    [InlineData(640, 480, 597, 448)]
    [InlineData(2048, 1024, 896, 448)]
    [InlineData(375, 500, 448, 597)]
    [InlineData(4000, 400, 2048, 205)]
    public void KeepRatioSizes(int w, int h, int ew, int eh) => Assert.Equal((ew, eh), _pre.ResizedSize(w, h));

    [Fact]
    public void SameSizeIsACopy()
    {
        var src = Enumerable.Range(0, 5 * 4 * 3).Select(i => (byte)(i * 7)).ToArray();
        Assert.Equal(src, OpenCvLinearResize.Resize(src, 5, 4, 3, 5, 4));
    }

    [Theory]
    [InlineData(7, 5, 13, 11)]
    [InlineData(13, 11, 7, 5)]
    [InlineData(10, 10, 5, 5)]
    [InlineData(500, 375, 597, 448)]
    public void ConstantImageStaysConstant(int w, int h, int nw, int nh)
    {
        foreach (byte v in new byte[] { 0, 1, 128, 254, 255 })
        {
            var src = Enumerable.Repeat(v, w * h * 3).ToArray();
            Assert.All(OpenCvLinearResize.Resize(src, w, h, 3, nw, nh), b => Assert.Equal(v, b));
        }
    }

    [Fact]
    public void TwoTimesUpsampleOfARowAndAColumn()
    {
        // Half-pixel centres: weights (1, 0), (0.75, 0.25), (0.25, 0.75), (0, 1) → 0, 63.75, 191.25, 255.
        Assert.Equal(new byte[] { 0, 64, 191, 255 }, OpenCvLinearResize.Resize(new byte[] { 0, 255 }, 2, 1, 1, 4, 1));
        Assert.Equal(new byte[] { 0, 64, 191, 255 }, OpenCvLinearResize.Resize(new byte[] { 0, 255 }, 1, 2, 1, 1, 4));
        // Channels are independent.
        Assert.Equal(new byte[] { 0, 255, 64, 191, 191, 64, 255, 0 }, OpenCvLinearResize.Resize(new byte[] { 0, 255, 255, 0 }, 2, 1, 2, 4, 1));
    }

    [Fact]
    public void TwoTimesDownscaleIsTheRoundedBlockMean()
    {
        var src = new byte[] { 0, 1, 10, 20, 2, 3, 30, 41 }; // 4×2, one channel
        Assert.Equal(new byte[] { 2, 25 }, OpenCvLinearResize.Resize(src, 4, 2, 1, 2, 1)); // (6+2)>>2, (101+2)>>2
    }

    [Fact]
    public void OpenCvTruncationIsWithinOneLevelOfExactRounding()
    {
        var rng = new Random(3);
        var src = new byte[37 * 23 * 3];
        rng.NextBytes(src);
        var opencv = OpenCvLinearResize.Resize(src, 37, 23, 3, 61, 50);
        var exact = OpenCvLinearResize.Resize(src, 37, 23, 3, 61, 50, exactVerticalRounding: true);
        Assert.All(opencv.Zip(exact), p => Assert.InRange(p.First - p.Second, -1, 1));
    }

    [Fact]
    public void ProcessGivesNormalisedChannelsFirst()
    {
        using var image = new Image<Rgb24>(500, 375, new Rgb24(0, 128, 255));
        using var x = _pre.Process(image);
        Assert.Equal([1L, 3L, 448L, 597L], x.shape);
        float[] expected = [(float)(-123.675 / 58.395), (float)((128 - 116.28) / 57.12), (float)((255 - 103.53) / 57.375)];
        for (int c = 0; c < 3; c++)
            Assert.True(Math.Abs(x[0, c, 100, 200].item<float>() - expected[c]) < 1e-6, $"channel {c}");
    }

    [Fact]
    public void ResizeKeepsPixels()
    {
        var px = RgbPixels.Filled(640, 480, new Rgb24(9, 8, 7));
        var r = _pre.Resize(px);
        Assert.Equal((597, 448), (r.Width, r.Height));
        Assert.Equal(9, r[596, 447, 0]);
    }
}
