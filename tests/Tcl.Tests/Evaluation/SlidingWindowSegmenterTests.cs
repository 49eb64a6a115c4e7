using Tcl.Evaluation;
using Xunit;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Tests.Evaluation;

/// <summary>Window grid (worked examples of mmseg's <c>slide_inference</c>), coverage, the background channel, argmax
/// ties and batching.</summary>
public sealed class SlidingWindowSegmenterTests
{
    /// <summary>Scores from a function of the window batch; records the calls.</summary>
    private sealed class FuncScorer(Func<Tensor, Tensor> score) : IWindowScorer
    {
        public string Name => "func";
        public List<long> Calls { get; } = [];

        public Tensor Score(Tensor windows, Tensor classEmbeddings)
        {
            Calls.Add(windows.shape[0]);
            return score(windows);
        }
    }

    private static bool AllEqual(Tensor labels, long label) => labels.data<long>().ToArray().All(l => l == label);

    private static FuncScorer Constant(params float[] perClass) => new(w =>
        tensor(perClass).reshape(1, perClass.Length, 1, 1).expand(w.shape[0], perClass.Length, w.shape[2], w.shape[3]).contiguous());

    [Fact]
    public void VocExampleHasTwoColumnsOneRow()
    {
        var windows = WindowGrid.Slide(height: 448, width: 597, crop: 448, stride: 224);
        Assert.Equal([new WindowBox(0, 448, 0, 448), new WindowBox(0, 448, 149, 597)], windows);
    }

    [Theory]
    [InlineData(448, 448, 224, 1)]
    [InlineData(449, 448, 224, 2)]
    [InlineData(672, 448, 224, 2)]
    [InlineData(673, 448, 224, 3)]
    [InlineData(896, 448, 224, 3)]
    [InlineData(300, 448, 224, 1)]
    public void CountsFollowMmseg(int size, int crop, int stride, int expected) =>
        Assert.Equal(expected, WindowGrid.Count(size, crop, stride));

    [Fact]
    public void ImageSmallerThanCropGivesWholeAxisWindows()
    {
        var windows = WindowGrid.Slide(height: 300, width: 1000, crop: 448, stride: 224);
        Assert.Equal(4, windows.Count);
        Assert.All(windows, w => Assert.Equal((0, 300, 448), (w.Y1, w.Y2, w.Width)));
        Assert.Equal(552, windows[^1].X1);
        Assert.Equal(1000, windows[^1].X2);
    }

    [Fact]
    public void CoverageCountsOverlaps()
    {
        var windows = WindowGrid.Slide(height: 448, width: 597, crop: 448, stride: 224);
        var count = WindowGrid.Coverage(448, 597, windows);
        Assert.Equal(1, count[0]);
        Assert.Equal(2, count[149]);
        Assert.Equal(2, count[447]);
        Assert.Equal(1, count[448]);
        Assert.All(count, c => Assert.InRange(c, 1, 2));
    }

    [Fact]
    public void AllWindowsOfAnImageGoToOneCall()
    {
        var scorer = Constant(0.2f, 0.7f);
        var segmenter = new SlidingWindowSegmenter(scorer, EvaluationProtocol.Official);
        using var image = zeros(1, 3, 448, 597);
        using var emb = zeros(2, 4);
        using var result = segmenter.Segment(image, emb, withBackground: false, 375, 500);
        Assert.Equal([2L], scorer.Calls);
        Assert.Equal([375L, 500L], result.Labels.shape);
        Assert.Null(result.Probabilities);
        Assert.True(AllEqual(result.Labels, 1));
    }

    [Fact]
    public void MaxWindowsPerCallSplitsTheBatch()
    {
        var scorer = Constant(0.2f, 0.7f);
        var segmenter = new SlidingWindowSegmenter(scorer, EvaluationProtocol.Official) { MaxWindowsPerCall = 1 };
        using var image = zeros(1, 3, 448, 597);
        using var emb = zeros(2, 4);
        using var avg = segmenter.AverageScores(image, emb, withBackground: false);
        Assert.Equal([1L, 1L], scorer.Calls);
    }

    [Fact]
    public void BackgroundWinsWhereEveryClassIsBelowTheThreshold()
    {
        using var image = zeros(1, 3, 448, 597);
        using var emb = zeros(2, 4);
        // 0.35 < 0.4 everywhere: background; with 0.45 on class 1, class 1 (label 2).
        using (var r = new SlidingWindowSegmenter(Constant(0.35f, 0.3f), EvaluationProtocol.Official).Segment(image, emb, true, 448, 597, true))
        {
            Assert.Equal(3, r.Probabilities!.shape[1]);
            Assert.True(AllEqual(r.Labels, 0));
        }
        using (var r = new SlidingWindowSegmenter(Constant(0.35f, 0.45f), EvaluationProtocol.Official).Segment(image, emb, true, 448, 597))
            Assert.True(AllEqual(r.Labels, 2));
        // The background constant is the protocol's: 0.5 without PAMR beats 0.45.
        using (var r = new SlidingWindowSegmenter(Constant(0.35f, 0.45f), EvaluationProtocol.NoPamr).Segment(image, emb, true, 448, 597))
            Assert.True(AllEqual(r.Labels, 0));
    }

    [Fact]
    public void BackgroundChannelIsTheConstantAfterAveraging()
    {
        using var image = zeros(1, 3, 448, 597);
        using var emb = zeros(1, 4);
        using var avg = new SlidingWindowSegmenter(Constant(0.1f), EvaluationProtocol.Official).AverageScores(image, emb, true);
        Assert.Equal([1L, 2L, 448L, 597L], avg.shape);
        using var scalars = new ScalarScope();
        Assert.True(avg[0, 0].sub(scalars.Of(0.4f)).abs().max().item<float>() < 1e-7f);
    }

    [Fact]
    public void TiesGoToTheFirstClass()
    {
        using var image = zeros(1, 3, 448, 448);
        using var emb = zeros(3, 4);
        using var r = new SlidingWindowSegmenter(Constant(0.1f, 0.6f, 0.6f), EvaluationProtocol.Official).Segment(image, emb, false, 448, 448);
        Assert.True(AllEqual(r.Labels, 1));
    }

    [Fact]
    public void OverlapsAreAveraged()
    {
        // Score = the window's first channel: every window agrees with the image, so the average is the image.
        var scorer = new FuncScorer(w => w.narrow(1, 0, 1).clone());
        using var image = rand(1, 3, 40, 70);
        var protocol = EvaluationProtocol.Official with { CropSize = 32, Stride = 24 };
        using var emb = zeros(1, 4);
        using var avg = new SlidingWindowSegmenter(scorer, protocol).AverageScores(image, emb, false);
        Assert.Single(scorer.Calls);
        Assert.True((avg - image.narrow(1, 0, 1)).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void WholeModeUsesOneWindow()
    {
        var scorer = Constant(0.2f, 0.7f);
        var segmenter = new SlidingWindowSegmenter(scorer, EvaluationProtocol.Official, InferenceMode.Whole);
        Assert.Equal([new WindowBox(0, 448, 0, 1000)], segmenter.Windows(448, 1000));
        using var image = zeros(1, 3, 448, 1000);
        using var emb = zeros(2, 4);
        using var r = segmenter.Segment(image, emb, false, 448, 1000);
        Assert.Equal([1L], scorer.Calls);
    }
}
