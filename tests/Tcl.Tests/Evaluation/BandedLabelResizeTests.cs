using Tcl.Evaluation;
using Tcl.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// The banded resize reproduces <c>interpolate(bilinear, align_corners = False)</c> bit for bit — upsampling in
/// bands of one row or many, odd sizes; downsampling and small results in one piece — so labels computed band by band equal the full-size ones, and
/// the segmenter's memory-light label path gives the same labels as its full path.
/// </summary>
public sealed class BandedLabelResizeTests
{
    public static TheoryData<int, int, int, int, int, long> Sizes() => new()
    {
        // classes, source H×W, original H0×W0, band budget (floats): upsampling back to a larger original, in bands
        { 3, 37, 53, 100, 141, 3 * 141 * 7 },  // 7-row bands crossing source rows
        { 21, 64, 85, 375, 500, 1 },           // one-row bands
        { 6, 448, 597, 600, 800, 6 * 800 * 13 },
        { 4, 17, 29, 17, 40, 50 },             // rows unchanged, columns up
        { 5, 48, 64, 36, 48, 1 },              // downsampling: one piece whatever the budget
        { 21, 64, 85, 375, 500, 1L << 30 },    // within the budget: one piece
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void BandsEqualFullInterpolateBitForBit(int classes, int h, int w, int h0, int w0, long bandFloats)
    {
        var generator = new TorchSharp.torch.Generator((ulong)(1234 + h0));
        using var scores = randn([1, classes, h, w], generator: generator);
        using var expected = nn.functional.interpolate(scores, size: [h0, w0], mode: InterpolationMode.Bilinear, align_corners: false);
        using var assembled = empty([1, classes, h0, w0]);
        BandedLabelResize.Resized(scores, h0, w0, (y0, band) => assembled.narrow(2, y0, band.shape[2]).copy_(band), bandFloats);
        Assert.True(BitwiseTensors.Identical(expected, assembled), $"bands differ from interpolate for {h}×{w} → {h0}×{w0}");

        using var expectedLabels = expected.softmax(1).argmax(1).squeeze(0);
        using var labels = empty([h0, w0], dtype: ScalarType.Int64);
        BandedLabelResize.Labels(scores, h0, w0, (y0, band) => labels.narrow(0, y0, band.shape[0]).copy_(band), bandFloats);
        Assert.True(BitwiseTensors.Identical(expectedLabels, labels));
    }

    [Fact]
    public void SegmenterLabelBytesEqualTheFullPath()
    {
        var scorer = new RandomScorer();
        var segmenter = new SlidingWindowSegmenter(scorer, EvaluationProtocol.Official with { CropSize = 64, Stride = 32 });
        using var image = randn([1, 3, 96, 128], generator: new TorchSharp.torch.Generator(7));
        using var classes = randn([7, 16], generator: new TorchSharp.torch.Generator(8));
        using var full = segmenter.Segment(image, classes, withBackground: true, 150, 211, keepProbabilities: true);
        using var banded = segmenter.Segment(image, classes, withBackground: true, 150, 211);
        Assert.True(BitwiseTensors.Identical(full.Labels, banded.Labels));
        Assert.Equal(full.LabelBytes(), segmenter.SegmentLabelBytes(image, classes, withBackground: true, 150, 211));
    }

    /// <summary>Deterministic window scores from the crop's pixels (so repeated calls agree).</summary>
    private sealed class RandomScorer : IWindowScorer
    {
        public string Name => "random";

        public Tensor Score(Tensor crops, Tensor classEmbeddings)
        {
            // [B, 3, h, w] → [B, K, h, w]: a fixed mix of the channels per class.
            using var scope = NewDisposeScope();
            var mix = randn([classEmbeddings.shape[0], 3, 1, 1], generator: new TorchSharp.torch.Generator(99));
            return nn.functional.conv2d(crops, mix).MoveToOuterDisposeScope();
        }
    }
}
