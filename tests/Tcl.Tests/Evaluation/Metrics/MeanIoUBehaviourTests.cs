using System.Diagnostics;
using Tcl.Evaluation.Metrics;
using Xunit;

namespace Tcl.Tests.Evaluation.Metrics;

/// <summary>The mmseg rules one by one on hand-made maps: ignore, NaN classes, zero-label reduction, label_map, ranges, threads.</summary>
public sealed class MeanIoUBehaviourTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Ignored_pixels_count_nowhere_and_absent_classes_are_NaN()
    {
        // 3 classes. GT row: 0 0 1 255 ; pred row: 0 1 1 2. Class 2 is predicted only on an ignored pixel.
        var metric = new MeanIoU(new SegmentationMetricConfig(3));
        var areas = metric.Add(new[] { 0, 1, 1, 2 }, new byte[] { 0, 0, 1, 255 }, 4, 1);
        Assert.Equal(new long[] { 1, 1, 0 }, areas.Intersect);
        Assert.Equal(new long[] { 1, 2, 0 }, areas.PredLabel);
        Assert.Equal(new long[] { 2, 1, 0 }, areas.Label);
        Assert.Equal(new long[] { 2, 2, 0 }, areas.Union);
        var s = metric.Scores();
        Assert.Equal(new[] { 0.5, 0.5, double.NaN }, s.IoU);
        Assert.Equal(new[] { 0.5, 1.0, double.NaN }, s.Acc);
        Assert.Equal(0.5, s.MeanIoU); // NaN class skipped
        Assert.Equal(2.0 / 3.0, s.AAcc);
        Assert.Equal(50.0, s.MeanIoUPercent);
    }

    [Fact]
    public void Reduce_zero_label_shifts_and_ignores_without_touching_the_callers_array()
    {
        var gt = new byte[] { 0, 1, 2, 255, 3 };
        var copy = (byte[])gt.Clone();
        var pred = new long[] { 0, 0, 1, 1, 2 };
        var metric = new MeanIoU(new SegmentationMetricConfig(3, ReduceZeroLabel: true));
        var first = metric.Add(pred, gt, 5, 1);
        Assert.Equal(copy, gt);
        var second = metric.Add(pred, gt, 5, 1); // mmseg would now see an already reduced array
        Assert.Equal(first, second, AreasComparer.Instance);
        // Scored: gt 1→0 (pred 0), 2→1 (pred 1), 3→2 (pred 2); 0 and 255 dropped.
        Assert.Equal(new long[] { 1, 1, 1 }, first.Intersect);
        Assert.Equal(new long[] { 1, 1, 1 }, first.PredLabel);
        Assert.Equal(new[] { 1.0, 1.0, 1.0 }, metric.Scores().IoU);
    }

    [Fact]
    public void Label_map_looks_values_up_in_the_original_map_then_zero_reduction_applies()
    {
        // mmseg 0.27 maps with a copy: 1→2 and 2→3 do not chain into 1→3.
        var config = new SegmentationMetricConfig(4, LabelMap: new Dictionary<int, int> { [1] = 2, [2] = 3 });
        var metric = new MeanIoU(config);
        var areas = metric.Add(new byte[] { 2, 3, 0 }, new byte[] { 1, 2, 0 }, 3, 1);
        Assert.Equal(new long[] { 1, 0, 1, 1 }, areas.Label);
        Assert.Equal(new long[] { 1, 0, 1, 1 }, areas.Intersect);

        var reduced = new MeanIoU(config with { ReduceZeroLabel = true });
        Assert.Equal(new long[] { 0, 1, 1, 0 }, reduced.Add(new byte[] { 1, 2, 0 }, new byte[] { 1, 2, 0 }, 3, 1).Label);
        Assert.Throws<ArgumentException>(() => new MeanIoU(new SegmentationMetricConfig(4, LabelMap: new Dictionary<int, int> { [1] = 300 })));
    }

    [Fact]
    public void Values_outside_the_class_range_count_in_no_class_and_a_custom_ignore_index_is_honoured()
    {
        var metric = new MeanIoU(new SegmentationMetricConfig(2, IgnoreIndex: 9));
        // pred 255 and -1 are outside 0..1; gt 7 is outside but not ignored; gt 9 is ignored.
        var areas = metric.Add(new[] { 255, -1, 1, 0, 1 }, new byte[] { 0, 1, 7, 9, 1 }, 5, 1);
        Assert.Equal(new long[] { 1, 2 }, areas.Label);
        Assert.Equal(new long[] { 0, 2 }, areas.PredLabel);
        Assert.Equal(new long[] { 0, 1 }, areas.Intersect);
        Assert.Throws<ArgumentException>(() => metric.Add(new int[4], new byte[5], 5, 1));
    }

    [Fact]
    public void Nothing_scored_gives_NaN_everywhere()
    {
        var metric = new MeanIoU(new SegmentationMetricConfig(2));
        metric.Add(new byte[] { 0, 1 }, new byte[] { 255, 255 }, 2, 1);
        var s = metric.Scores();
        Assert.All(s.IoU, v => Assert.True(double.IsNaN(v)));
        Assert.True(double.IsNaN(s.MeanIoU));
        Assert.True(double.IsNaN(s.AAcc));
        Assert.True(double.IsNaN(s.MeanIoUAsReported));
    }

    [Fact]
    public void Mmseg_rounding_is_numpy_round_half_even_on_the_percent()
    {
        Assert.Equal(0.34340000000000004, SegmentationScores.AsReported(0.34339007133885524));
        Assert.Equal(34.34, SegmentationScores.Percent(0.34339007133885524));
        Assert.Equal(0.0843, SegmentationScores.AsReported(0.08429859267791857));
        Assert.Equal(12.5, SegmentationScores.Percent(0.125));
        Assert.Equal(double.NaN, SegmentationScores.NanMean([double.NaN, double.NaN]));
        Assert.Equal(2.0, SegmentationScores.NanMean([1, double.NaN, 3]));
        // 150 classes (ADE20K): pairwise sum stays within an ulp-level distance of the exact mean.
        var many = Enumerable.Range(0, 150).Select(i => 1.0 / (i + 3)).ToArray();
        Assert.Equal(many.Average(), SegmentationScores.NanMean(many), 1e-15);
    }

    [Fact]
    public void Parallel_accumulation_equals_sequential_and_a_large_map_is_fast()
    {
        const int w = 2048, h = 1024, classes = 19;
        var rng = new Random(1);
        var images = Enumerable.Range(0, 8).Select(_ =>
        {
            var gt = new byte[w * h];
            var pred = new int[w * h];
            for (int i = 0; i < gt.Length; i++)
            {
                gt[i] = rng.Next(10) == 0 ? (byte)255 : (byte)rng.Next(classes);
                pred[i] = rng.Next(3) == 0 ? gt[i] % classes : rng.Next(classes);
            }
            return (gt, pred);
        }).ToArray();

        var sequential = new MeanIoU(new SegmentationMetricConfig(classes));
        var timer = Stopwatch.StartNew();
        foreach (var (gt, pred) in images) sequential.Add(pred, gt, w, h);
        double msPerImage = timer.Elapsed.TotalMilliseconds / images.Length;

        var parallel = new MeanIoU(new SegmentationMetricConfig(classes));
        Parallel.ForEach(images, im => parallel.Add(im.pred, im.gt, w, h));
        Assert.Equal(sequential.Totals(), parallel.Totals(), AreasComparer.Instance);
        Assert.Equal(8, parallel.ImageCount);
        // Reported, not asserted: speed is measured by benchmarks, not by timed unit tests.
        output.WriteLine($"{msPerImage:F2} ms per 2048×1024 image");
    }
}
