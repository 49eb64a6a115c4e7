using Tcl.Tests.Support;
using Tcl.Evaluation;
using Tcl.Evaluation.Benchmarks;
using Tcl.Tests.Grounding;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// The background-threshold sweep on a tiny VOC with the fixtures' tiny TCL: every threshold's scores equal a full
/// <see cref="BenchmarkEvaluator"/> run at that threshold, the scorer runs once per image however many thresholds
/// are swept, and the extremes behave as the formula says (τ above every score: all background).
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class BackgroundThresholdSweepTests
{
    private static readonly EvaluationProtocol Tiny = EvaluationProtocol.Official with { Name = "tiny", ShortSide = 64, LongSideMax = 256, CropSize = 64, Stride = 32 };

    [Theory]
    [InlineData("tcl")]
    [InlineData("maskclip")]
    public void EachThresholdEqualsTheEvaluatorAtThatThresholdAndTheScorerRunsOncePerImage(string methodName)
    {
        using var data = new TinyVocData();
        using var model = TclFixtureModel.Load();
        model.eval();
        IWindowScorer inner = methodName == "tcl" ? new TclWindowScorer(model, Tiny) : new MaskClipWindowScorer(model);
        var counting = new CountingScorer(inner);
        var dataset = SegmentationDataset.Open("voc", data.Root);
        double[] thresholds = [0.1, 0.4, 0.55, 0.9];

        var sweep = new BackgroundThresholdSweep(counting, model.clip_text_encoder, Tiny).Run(dataset, thresholds);

        Assert.Equal(data.Ids.Count, counting.Calls);          // one batched call per image (all windows), not per threshold
        Assert.Equal("voc", sweep.Dataset);
        Assert.Equal(methodName, sweep.Method);
        Assert.Equal("tiny@v1", sweep.Protocol);
        Assert.Equal(thresholds, sweep.Points.Select(p => p.Threshold));
        foreach (var point in sweep.Points)
        {
            var expected = new BenchmarkEvaluator(inner, model.clip_text_encoder, Tiny with { BackgroundThreshold = point.Threshold }).Evaluate(dataset);
            Assert.Equal(expected.Scores.Totals.Intersect, point.Scores.Totals.Intersect);
            Assert.Equal(expected.Scores.Totals.Union, point.Scores.Totals.Union);
            Assert.Equal(expected.Scores.Totals.PredLabel, point.Scores.Totals.PredLabel);
            Assert.Equal(expected.Scores.MeanIoU, point.Scores.MeanIoU);
            Assert.Equal(data.Ids.Count, point.Scores.ImageCount);
        }
        // A higher threshold can only hand more pixels to the background (class 0).
        var background = sweep.Points.Select(p => p.Scores.Totals.PredLabel[0]).ToList();
        Assert.Equal(background.Order(), background);
        Assert.Contains(sweep.Best, sweep.Points);
    }

    [Fact]
    public void AThresholdAboveEveryScoreMakesEverythingBackground()
    {
        using var data = new TinyVocData(images: 2);
        using var model = TclFixtureModel.Load();
        model.eval();
        var dataset = SegmentationDataset.Open("voc", data.Root);

        var sweep = new BackgroundThresholdSweep(new MaskClipWindowScorer(model), model.clip_text_encoder, Tiny).Run(dataset, [1.5]);

        var totals = sweep.Points[0].Scores.Totals;
        Assert.Equal(totals.Label.Sum(), totals.PredLabel[0]);          // scores are probabilities ≤ 1 < 1.5
        Assert.All(totals.PredLabel.Skip(1), n => Assert.Equal(0, n));
        Assert.True(double.IsNaN(sweep.Points[0].ForegroundMeanIoU) || sweep.Points[0].ForegroundMeanIoU == 0);
    }

    [Fact]
    public void RejectsBenchmarksWithoutBackgroundAndEmptySweeps()
    {
        using var data = new TinyVocData(images: 1);
        using var model = TclFixtureModel.Load();
        var sweep = new BackgroundThresholdSweep(new MaskClipWindowScorer(model), model.clip_text_encoder, Tiny);
        Assert.Throws<ArgumentException>(() => sweep.Run(SegmentationDataset.Open("voc20", data.Root), [0.4]));
        Assert.Throws<ArgumentException>(() => sweep.Run(SegmentationDataset.Open("voc", data.Root), []));
    }

    [Fact]
    public void RangeIsInclusiveAndRounded()
    {
        Assert.Equal([0.1, 0.2, 0.3, 0.4], BackgroundThresholdSweep.Range(0.1, 0.4, 0.1));
        Assert.Equal([0.5], BackgroundThresholdSweep.Range(0.5, 0.5, 0.1));
        Assert.Throws<ArgumentException>(() => BackgroundThresholdSweep.Range(0.5, 0.1, 0.1));
    }

    private sealed class CountingScorer(IWindowScorer inner) : IWindowScorer
    {
        public int Calls { get; private set; }

        public string Name => inner.Name;

        public Tensor Score(Tensor windows, Tensor classEmbeddings)
        {
            Calls++;
            return inner.Score(windows, classEmbeddings);
        }
    }
}
