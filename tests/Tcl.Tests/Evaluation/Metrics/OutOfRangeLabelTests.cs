using System.Text.Json;
using Tcl.Evaluation.Metrics;
using Tcl.IO;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Evaluation.Metrics;

/// <summary>
/// Label ids outside the class range — in ground-truth PNGs or in <c>--predictions</c> PNGs — are dropped as mmseg
/// drops them, but counted, listed with their files in the results JSON, and named in a warning by the CLI.
/// </summary>
public sealed class OutOfRangeLabelTests : IDisposable
{
    private readonly TinyVocData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void MetricCountsOutOfRangeLabelsAndScoredOutOfRangePredictions()
    {
        // 3 classes. GT 0 1 7 255 1 ; pred 0 9 1 5 2: label 7 is out of range; prediction 9 on a scored pixel is,
        // prediction 5 on an ignored pixel is not counted (it is not scored at all).
        var metric = new MeanIoU(new SegmentationMetricConfig(3));
        var areas = metric.Add(new[] { 0, 9, 1, 5, 2 }, new byte[] { 0, 1, 7, 255, 1 }, 5, 1);
        Assert.Equal(1, areas.OutOfRangeLabels);
        Assert.Equal(1, areas.OutOfRangePredictions);
        metric.Add(new[] { 0, 9, 1, 5, 2 }, new byte[] { 0, 1, 7, 255, 1 }, 5, 1);
        Assert.Equal((2L, 2L), (metric.Totals().OutOfRangeLabels, metric.Totals().OutOfRangePredictions));
        // The scores themselves are mmseg's: the dropped pixels count in no class.
        Assert.Equal(new long[] { 1, 0, 0 }, areas.Intersect);
        Assert.Equal(new long[] { 1, 2, 0 }, areas.Label);
    }

    [Fact]
    public void EvaluateWarnsNamingTheFilesAndRecordsThemInTheJson()
    {
        // Predictions: the ground truth itself, one of them with 200 on a scored pixel.
        string labels = Path.Combine(_data.Root, "VOCdevkit", "VOC2012", "SegmentationClass");
        string predictions = Directory.CreateDirectory(Path.Combine(_data.Root, "preds")).FullName;
        foreach (var id in _data.Ids) File.Copy(Path.Combine(labels, id + ".png"), Path.Combine(predictions, id + ".png"));
        string badTruth = Path.Combine(labels, _data.Ids[0] + ".png");
        var truth = LabelPng.Read(badTruth);
        var edited = (byte[])truth.Pixels.Clone();
        edited[truth.Width + 1] = 40;                       // VOC has 21 classes: 40 is no class and not 255
        edited[truth.Width + 2] = 40;
        LabelPng.Write(badTruth, edited, truth.Width, truth.Height);

        string badPrediction = Path.Combine(predictions, _data.Ids[1] + ".png");
        var pred = LabelPng.Read(badPrediction);
        var predPixels = (byte[])pred.Pixels.Clone();
        predPixels[2 * pred.Width + 2] = 200;
        LabelPng.Write(badPrediction, predPixels, pred.Width, pred.Height);

        string output = Path.Combine(_data.Root, "out");
        var (exit, stdout, stderr) = CliRunner.Run("evaluate", "--predictions", predictions, "--dataset", "voc",
            "--data-root", _data.Root, "--out", output);

        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Contains("warning: voc: 1 ground-truth label file holds ids outside 0..20", stderr);
        Assert.Contains($"'{badTruth}' (2 px)", stderr);
        Assert.Contains($"'{badPrediction}' (1 px)", stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "voc.predictions.external.json")));
        var outOfRange = json.RootElement.GetProperty("out_of_range");
        Assert.Equal(2, outOfRange.GetProperty("label_pixels").GetInt64());
        Assert.Equal(1, outOfRange.GetProperty("prediction_pixels").GetInt64());
        Assert.Equal(2, outOfRange.GetProperty("files").GetArrayLength());

        var scores = SegmentationScoresJson.Read(Path.Combine(output, "voc.predictions.external.json"));
        Assert.Equal(2, scores.OutOfRangeFiles.Count);
    }
}
