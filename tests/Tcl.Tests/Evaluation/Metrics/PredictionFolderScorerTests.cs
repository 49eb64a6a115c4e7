using Tcl.Evaluation.Metrics;
using Tcl.IO;
using Xunit;

namespace Tcl.Tests.Evaluation.Metrics;

/// <summary>Saved-prediction scoring: same numbers as the in-memory metric, clear errors for missing or mis-sized files.</summary>
public sealed class PredictionFolderScorerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-predfolder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (List<(string Id, string GroundTruthPath)> Samples, MeanIoU Direct, string PredDir) Dataset(SegmentationMetricConfig config)
    {
        var gtDir = Directory.CreateDirectory(Path.Combine(_dir, "gt")).FullName;
        var predDir = Directory.CreateDirectory(Path.Combine(_dir, "pred")).FullName;
        var direct = new MeanIoU(config);
        var samples = new List<(string, string)>();
        var palette = Tcl.IO.LabelPng.VocPalette();
        for (int k = 0; k < 5; k++)
        {
            var (gt, w, h) = LabelPngTests.RandomLabels(20 + k, 15 + 2 * k, seed: k, max: 22);
            for (int i = 0; i < gt.Length; i += 7) gt[i] = 255;
            var (pred, _, _) = LabelPngTests.RandomLabels(w, h, seed: 100 + k, max: 21);
            string id = $"2007_{k:D6}";
            var gtPath = Path.Combine(gtDir, id + ".png");
            LabelPng.Write(gtPath, gt, w, h, palette); // VOC-style indexed ground truth
            LabelPng.Write(Path.Combine(predDir, id + ".png"), pred, w, h);
            direct.Add(pred, gt, w, h);
            samples.Add((id, gtPath));
        }
        return (samples, direct, predDir);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scores_a_folder_like_the_in_memory_metric(bool reduceZeroLabel)
    {
        var config = new SegmentationMetricConfig(21, reduceZeroLabel);
        var (samples, direct, predDir) = Dataset(config);
        var reports = new List<int>();
        var scores = PredictionFolderScorer.Score(predDir, samples, config, new SyncProgress(reports), maxParallelism: 2);
        Assert.Equal(direct.Totals(), scores.Totals, AreasComparer.Instance);
        Assert.Equal(direct.Scores().MeanIoU, scores.MeanIoU);
        Assert.Equal(5, scores.ImageCount);
        Assert.Equal(5, reports.Max());
    }

    [Fact]
    public void A_missing_prediction_is_named()
    {
        var config = new SegmentationMetricConfig(21);
        var (samples, _, predDir) = Dataset(config);
        var gone = Path.Combine(predDir, samples[3].Id + ".png");
        File.Delete(gone);
        var e = Assert.Throws<FileNotFoundException>(() => PredictionFolderScorer.Score(predDir, samples, config));
        Assert.Contains(gone, e.Message);
        Assert.Equal(gone, e.FileName);
    }

    [Fact]
    public void A_prediction_of_another_size_is_named_with_both_sizes()
    {
        var config = new SegmentationMetricConfig(21);
        var (samples, _, predDir) = Dataset(config);
        var wrong = Path.Combine(predDir, samples[1].Id + ".png");
        LabelPng.Write(wrong, new byte[6], 3, 2);
        var e = Assert.Throws<InvalidDataException>(() => PredictionFolderScorer.Score(predDir, samples, config));
        Assert.Contains(wrong, e.Message);
        Assert.Contains("3×2", e.Message);
        Assert.Throws<ArgumentException>(() => PredictionFolderScorer.Score(predDir, [samples[0], samples[0]], config));
    }

    /// <summary>Records reports on the calling thread (Progress&lt;T&gt; posts them asynchronously).</summary>
    private sealed class SyncProgress(List<int> sink) : IProgress<int>
    {
        public void Report(int value) { lock (sink) sink.Add(value); }
    }
}
