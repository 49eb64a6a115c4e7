using System.Numerics;
using static TorchSharp.torch;

namespace Tcl.Evaluation.Metrics;

/// <summary>
/// mmseg 0.27's mIoU (<c>intersect_and_union</c> → <c>total_intersect_and_union</c> → <c>mean_iou</c> in
/// <c>mmseg/core/evaluation/metrics.py</c>) as a dataset-level accumulator: feed one prediction and its ground truth
/// (at the ground truth's original resolution) per image, then read <see cref="Scores"/>.
/// </summary>
/// <remarks>
/// Per image: the ground truth goes through <see cref="SegmentationMetricConfig"/>'s label_map and reduce_zero_label
/// — through a lookup table, so the caller's array is never modified (mmseg modifies it in place) — pixels whose
/// label is the ignore index are dropped, and intersection / union / pred area / label area are counted for values
/// 0..C−1 (predictions or labels outside that range count in no class, as with mmseg's <c>histc</c>). Totals are sums
/// over images. Works on spans (a 2048×1024 map takes a few milliseconds); no tensors needed.
/// <para>Thread-safe: images may be added from several threads at once; counting runs outside the lock, only the
/// final addition of the per-image counts is serialised. Summation of integers is order-independent, so the result
/// does not depend on the order or parallelism of the calls.</para>
/// </remarks>
public sealed class MeanIoU
{
    private readonly int[] _rowOffset;
    private readonly long[] _intersect, _union, _pred, _label;
    private long _outOfRangeLabels, _outOfRangePredictions;
    private readonly object _gate = new();
    private int _images;

    /// <summary>An empty accumulator for the given settings.</summary>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    public MeanIoU(SegmentationMetricConfig config)
    {
        Config = config;
        int c = config.NumClasses;
        _rowOffset = RowOffsets(config.BuildLookup(), config.IgnoreIndex, c);
        _intersect = new long[c]; _union = new long[c]; _pred = new long[c]; _label = new long[c];
    }

    /// <summary>The settings this accumulator counts with.</summary>
    public SegmentationMetricConfig Config { get; }

    /// <summary>Images added so far.</summary>
    public int ImageCount { get { lock (_gate) return _images; } }

    /// <summary>Counts one image without accumulating it (mmseg's <c>intersect_and_union</c>).</summary>
    /// <param name="prediction">Predicted class per pixel, row-major, <paramref name="width"/>·<paramref name="height"/> values.</param>
    /// <param name="groundTruth">Stored ground-truth values (raw PNG values), same layout; not modified.</param>
    /// <param name="width">Image width (the ground truth's original resolution).</param>
    /// <param name="height">Image height.</param>
    /// <exception cref="ArgumentException">A span does not hold width·height values.</exception>
    public ImageAreas Measure(ReadOnlySpan<int> prediction, ReadOnlySpan<byte> groundTruth, int width, int height) =>
        Count(prediction, groundTruth, width, height);

    /// <inheritdoc cref="Measure(ReadOnlySpan{int}, ReadOnlySpan{byte}, int, int)"/>
    public ImageAreas Measure(ReadOnlySpan<long> prediction, ReadOnlySpan<byte> groundTruth, int width, int height) =>
        Count(prediction, groundTruth, width, height);

    /// <inheritdoc cref="Measure(ReadOnlySpan{int}, ReadOnlySpan{byte}, int, int)"/>
    public ImageAreas Measure(ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> groundTruth, int width, int height) =>
        Count(prediction, groundTruth, width, height);

    /// <summary>Counts one image and adds it to the dataset totals; returns its counts.</summary>
    /// <inheritdoc cref="Measure(ReadOnlySpan{int}, ReadOnlySpan{byte}, int, int)"/>
    public ImageAreas Add(ReadOnlySpan<int> prediction, ReadOnlySpan<byte> groundTruth, int width, int height) =>
        Add(Count(prediction, groundTruth, width, height));

    /// <inheritdoc cref="Add(ReadOnlySpan{int}, ReadOnlySpan{byte}, int, int)"/>
    public ImageAreas Add(ReadOnlySpan<long> prediction, ReadOnlySpan<byte> groundTruth, int width, int height) =>
        Add(Count(prediction, groundTruth, width, height));

    /// <inheritdoc cref="Add(ReadOnlySpan{int}, ReadOnlySpan{byte}, int, int)"/>
    public ImageAreas Add(ReadOnlySpan<byte> prediction, ReadOnlySpan<byte> groundTruth, int width, int height) =>
        Add(Count(prediction, groundTruth, width, height));

    /// <summary>
    /// Tensor form: <paramref name="prediction"/> an integer tensor [H, W] (or [1, H, W]), <paramref name="groundTruth"/>
    /// the stored ground truth of the same shape, any integer dtype with values 0..255. Neither tensor is modified.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes differ, a tensor is not 2-D, or a label is outside 0..255.</exception>
    public ImageAreas Add(Tensor prediction, Tensor groundTruth)
    {
        using var scope = NewDisposeScope();
        var (h, w) = Plane(prediction, nameof(prediction));
        if (!prediction.shape.SequenceEqual(groundTruth.shape))
            throw new ArgumentException($"Prediction shape [{string.Join(", ", prediction.shape)}] differs from ground-truth shape [{string.Join(", ", groundTruth.shape)}].");
        if (prediction.is_floating_point() || groundTruth.is_floating_point())
            throw new ArgumentException("Prediction and ground truth must be integer tensors (class indices).");
        var gt = groundTruth.detach().cpu();
        if (gt.dtype != ScalarType.Byte)
        {
            long min = gt.min().item<long>(), max = gt.max().item<long>();
            if (min < 0 || max > 255) throw new ArgumentException($"Ground-truth values must be 0..255 (found {min}..{max}).");
            gt = gt.to(ScalarType.Byte);
        }
        var labels = gt.contiguous().data<byte>().ToArray();
        var preds = prediction.detach().cpu().to(int64).contiguous().data<long>().ToArray();
        return Add(preds, labels, w, h);
    }

    /// <summary>Adds counts measured elsewhere (e.g. by <see cref="Measure(ReadOnlySpan{int}, ReadOnlySpan{byte}, int, int)"/> on another accumulator).</summary>
    /// <exception cref="ArgumentException">The counts are for another number of classes.</exception>
    public ImageAreas Add(ImageAreas areas)
    {
        if (areas.NumClasses != Config.NumClasses)
            throw new ArgumentException($"Counts for {areas.NumClasses} classes cannot be added to a {Config.NumClasses}-class accumulator.");
        lock (_gate)
        {
            for (int c = 0; c < _intersect.Length; c++)
            {
                _intersect[c] += areas.Intersect[c];
                _union[c] += areas.Union[c];
                _pred[c] += areas.PredLabel[c];
                _label[c] += areas.Label[c];
            }
            _outOfRangeLabels += areas.OutOfRangeLabels;
            _outOfRangePredictions += areas.OutOfRangePredictions;
            _images++;
        }
        return areas;
    }

    /// <summary>The dataset totals so far (mmseg's <c>total_intersect_and_union</c>).</summary>
    public ImageAreas Totals()
    {
        lock (_gate)
            return new ImageAreas((long[])_intersect.Clone(), (long[])_union.Clone(), (long[])_pred.Clone(), (long[])_label.Clone(),
                _outOfRangeLabels, _outOfRangePredictions);
    }

    /// <summary>Per-class IoU / Acc, aAcc and mIoU of everything added so far (mmseg's <c>mean_iou</c>).</summary>
    public SegmentationScores Scores()
    {
        int images;
        ImageAreas totals;
        lock (_gate) { images = _images; totals = Totals(); }
        return SegmentationScores.FromTotals(Config, totals, images);
    }

    // One increment per pixel into a joint (label, prediction) histogram, branch-free apart from a conditional move:
    // label rows 0..C−1, row C = label outside 0..C−1, row C+1 = ignored; prediction column C = outside 0..C−1.
    // The four areas are sums over that table. Int cells suffice: a span holds fewer than 2^31 pixels.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private ImageAreas Count<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<byte> groundTruth, int width, int height)
        where T : unmanaged, IBinaryInteger<T>
    {
        if (width < 0 || height < 0) throw new ArgumentException($"Negative size {width}×{height}.");
        long n = (long)width * height;
        if (prediction.Length != n || groundTruth.Length != n)
            throw new ArgumentException(
                $"A {width}×{height} image needs {n} values; the prediction has {prediction.Length}, the ground truth {groundTruth.Length}.");
        int classes = Config.NumClasses, cols = classes + 1;
        var joint = new int[(classes + 2) * cols];
        ReadOnlySpan<int> rowOf = _rowOffset;
        for (int i = 0; i < groundTruth.Length; i++)
        {
            long p = long.CreateTruncating(prediction[i]);
            int col = (ulong)p < (ulong)classes ? (int)p : classes;
            joint[rowOf[groundTruth[i]] + col]++;
        }
        var inter = new long[classes];
        var pred = new long[classes];
        var label = new long[classes];
        var union = new long[classes];
        for (int g = 0; g <= classes; g++) // every scored row: in-range labels and out-of-range ones
            for (int c = 0; c < classes; c++)
                pred[c] += joint[g * cols + c];
        for (int c = 0; c < classes; c++)
        {
            for (int k = 0; k < cols; k++) label[c] += joint[c * cols + k];
            inter[c] = joint[c * cols + c];
            union[c] = pred[c] + label[c] - inter[c];
        }
        long outOfRangeLabels = 0, outOfRangePredictions = 0;
        for (int k = 0; k < cols; k++) outOfRangeLabels += joint[classes * cols + k];
        for (int g = 0; g <= classes; g++) outOfRangePredictions += joint[g * cols + classes];
        return new ImageAreas(inter, union, pred, label, outOfRangeLabels, outOfRangePredictions);
    }

    /// <summary>Stored value → offset of its row in the joint histogram (label_map, reduce_zero_label and ignore folded in).</summary>
    private static int[] RowOffsets(byte[] lookup, int ignoreIndex, int classes)
    {
        var offsets = new int[256];
        for (int v = 0; v < 256; v++)
        {
            int g = lookup[v];
            int row = g == ignoreIndex ? classes + 1 : g < classes ? g : classes;
            offsets[v] = row * (classes + 1);
        }
        return offsets;
    }

    private static (int H, int W) Plane(Tensor t, string name)
    {
        var s = t.shape;
        if (s.Length == 2) return (checked((int)s[0]), checked((int)s[1]));
        if (s.Length == 3 && s[0] == 1) return (checked((int)s[1]), checked((int)s[2]));
        throw new ArgumentException($"{name} must be [H, W] or [1, H, W] (got [{string.Join(", ", s)}]).", name);
    }
}
