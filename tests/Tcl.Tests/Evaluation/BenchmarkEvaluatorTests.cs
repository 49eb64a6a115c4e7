using Tcl.Evaluation;
using Tcl.Evaluation.Benchmarks;
using Tcl.Evaluation.Metrics;
using Tcl.Tests.Grounding;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// The whole protocol on a tiny VOC in its real layout with the fixtures' tiny TCL: every image evaluated, the result
/// names dataset, method and protocol, and the saved label PNGs re-scored by <see cref="PredictionFolderScorer"/>
/// (the "any other system" path) give exactly the same scores.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class BenchmarkEvaluatorTests
{
    /// <summary>The official protocol scaled to the tiny model's 64-px world (windows 64/32, short side 64).</summary>
    private static readonly EvaluationProtocol Tiny = EvaluationProtocol.Official with { Name = "tiny", ShortSide = 64, LongSideMax = 256, CropSize = 64, Stride = 32 };

    [Theory]
    [InlineData("tcl")]
    [InlineData("maskclip")]
    public void EvaluatesEveryImageAndSavedPredictionsRescoreIdentically(string methodName)
    {
        using var data = new TinyVocData();
        using var model = TclFixtureModel.Load();
        model.eval();
        IWindowScorer scorer = methodName == "tcl" ? new TclWindowScorer(model, Tiny) : new MaskClipWindowScorer(model);
        var evaluator = new BenchmarkEvaluator(scorer, model.clip_text_encoder, Tiny);
        var dataset = SegmentationDataset.Open("voc", data.Root);
        var saved = Path.Combine(data.Root, "predictions");
        var progress = new List<EvaluationProgress>();

        var result = evaluator.Evaluate(dataset, new EvaluationOptions(SavePredictionsTo: saved), new SyncProgress<EvaluationProgress>(progress.Add));

        Assert.Equal("voc", result.Dataset);
        Assert.Equal(methodName, result.Method);
        Assert.Equal("tiny@v1", result.Protocol);
        Assert.Equal(data.Ids.Count, result.Scores.ImageCount);
        Assert.Equal(21, result.Scores.NumClasses);
        Assert.Equal(data.Ids.Count, progress.Count);
        Assert.Equal(data.Ids, progress.Select(p => p.SampleId));
        Assert.InRange(result.Scores.AAcc, 0, 1);
        // Ground truth areas: every non-border pixel counted once (255 ignored).
        long labelled = dataset.Samples().Sum(s => Tcl.IO.LabelPng.Read(s.LabelPath).Pixels.Count(v => v != 255));
        Assert.Equal(labelled, result.Scores.Totals.Label.Sum());

        var rescored = PredictionFolderScorer.Score(saved, dataset.Samples().Select(s => (s.Id, s.LabelPath)), BenchmarkEvaluator.MetricConfig(dataset.Manifest));
        Assert.Equal(result.Scores.Totals.Intersect, rescored.Totals.Intersect);
        Assert.Equal(result.Scores.MeanIoU, rescored.MeanIoU);
    }

    [Fact]
    public void LimitEvaluatesTheFirstImagesOnly()
    {
        using var data = new TinyVocData();
        using var model = TclFixtureModel.Load();
        model.eval();
        var evaluator = new BenchmarkEvaluator(new MaskClipWindowScorer(model), model.clip_text_encoder, Tiny);
        var result = evaluator.Evaluate(SegmentationDataset.Open("voc20", data.Root), new EvaluationOptions(Limit: 2));
        Assert.Equal(2, result.Scores.ImageCount);
        Assert.Equal(20, result.Scores.NumClasses);
    }
}
