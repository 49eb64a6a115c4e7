namespace Tcl.Evaluation.Metrics;

/// <summary>
/// The result of scoring a dataset (mmseg 0.27's <c>mean_iou</c> plus <c>CustomDataset.evaluate</c>'s summary): per-class
/// IoU and Acc with their names, aAcc, the NaN-aware means, and the integer totals they come from. Every value is
/// derived from <see cref="Totals"/>, so a record read back from a file recomputes exactly the same numbers.
/// </summary>
public sealed record SegmentationScores
{
    /// <summary>Scores of the given dataset totals.</summary>
    /// <param name="classNames">One name per class, in label order.</param>
    /// <param name="totals">Per-class pixel counts summed over the dataset.</param>
    /// <param name="imageCount">Number of images the totals cover.</param>
    /// <param name="reduceZeroLabel">Whether the ground truth was zero-label reduced.</param>
    /// <param name="ignoreIndex">Ground-truth value that was not scored.</param>
    /// <exception cref="ArgumentException">The names and the totals disagree on the number of classes.</exception>
    public SegmentationScores(IReadOnlyList<string> classNames, ImageAreas totals, int imageCount, bool reduceZeroLabel, int ignoreIndex)
    {
        if (classNames.Count != totals.NumClasses)
            throw new ArgumentException($"{classNames.Count} class names for totals of {totals.NumClasses} classes.");
        ClassNames = classNames.ToArray();
        Totals = totals;
        ImageCount = imageCount;
        ReduceZeroLabel = reduceZeroLabel;
        IgnoreIndex = ignoreIndex;
        int c = totals.NumClasses;
        var iou = new double[c];
        var acc = new double[c];
        for (int k = 0; k < c; k++)
        {
            // float64 division as in mmseg: 0/0 = NaN for a class with no union / no label pixel.
            iou[k] = (double)totals.Intersect[k] / totals.Union[k];
            acc[k] = (double)totals.Intersect[k] / totals.Label[k];
        }
        IoU = iou;
        Acc = acc;
        AAcc = (double)totals.Intersect.Sum() / totals.Label.Sum();
        MeanIoU = NanMean(iou);
        MeanAcc = NanMean(acc);
    }

    /// <summary>Scores of an accumulator's totals under its settings.</summary>
    public static SegmentationScores FromTotals(SegmentationMetricConfig config, ImageAreas totals, int imageCount) =>
        new(config.ResolvedClassNames, totals, imageCount, config.ReduceZeroLabel, config.IgnoreIndex);

    /// <summary>The label files that held ids outside the class range (see <see cref="OutOfRangeFile"/>); their pixels
    /// are in <see cref="ImageAreas.OutOfRangeLabels"/> and <see cref="ImageAreas.OutOfRangePredictions"/> of
    /// <see cref="Totals"/>. Filled by the evaluator and the prediction scorer, which know the files.</summary>
    public IReadOnlyList<OutOfRangeFile> OutOfRangeFiles { get; init; } = [];

    /// <summary>Class names in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of classes.</summary>
    public int NumClasses => ClassNames.Count;

    /// <summary>Dataset totals per class (mmseg's <c>total_intersect_and_union</c>).</summary>
    public ImageAreas Totals { get; }

    /// <summary>Images scored.</summary>
    public int ImageCount { get; }

    /// <summary>Whether the ground truth was zero-label reduced.</summary>
    public bool ReduceZeroLabel { get; }

    /// <summary>Ground-truth value that was not scored.</summary>
    public int IgnoreIndex { get; }

    /// <summary>Per-class IoU = intersection / union; NaN where the union is 0 (class neither predicted nor present).</summary>
    public IReadOnlyList<double> IoU { get; }

    /// <summary>Per-class accuracy = intersection / label area; NaN where the class has no ground-truth pixel.</summary>
    public IReadOnlyList<double> Acc { get; }

    /// <summary>Overall pixel accuracy: Σ intersection / Σ label area (NaN when nothing was scored).</summary>
    public double AAcc { get; }

    /// <summary>Mean of the non-NaN IoUs (numpy's <c>nanmean</c>); NaN when every class is NaN.</summary>
    public double MeanIoU { get; }

    /// <summary>Mean of the non-NaN accuracies.</summary>
    public double MeanAcc { get; }

    /// <summary>mIoU as mmseg reports it: round(mIoU·100, 2) / 100 (papers print the ×100 value, e.g. 34.34).</summary>
    public double MeanIoUAsReported => AsReported(MeanIoU);

    /// <summary>mIoU in percent rounded to 2 decimals as papers print it (<c>np.round(nanmean·100, 2)</c>).</summary>
    public double MeanIoUPercent => Percent(MeanIoU);

    /// <summary>mAcc as mmseg reports it.</summary>
    public double MeanAccAsReported => AsReported(MeanAcc);

    /// <summary>aAcc as mmseg reports it.</summary>
    public double AAccAsReported => AsReported(AAcc);

    /// <summary>
    /// mmseg's summary rounding, <c>np.round(value·100, 2)</c>: numpy multiplies by 10², rounds half to even and divides
    /// back, in float64; reproduced step by step so the result is bit-identical.
    /// </summary>
    public static double Percent(double fraction) => Math.Round(fraction * 100 * 100, MidpointRounding.ToEven) / 100;

    /// <summary>The fraction mmseg's <c>evaluate</c> returns: <see cref="Percent"/> / 100.</summary>
    public static double AsReported(double fraction) => Percent(fraction) / 100.0;

    /// <summary>
    /// numpy's <c>nanmean</c>: NaNs replaced by 0, summed with numpy's pairwise float64 summation (8 interleaved
    /// partial sums in blocks of up to 128, halves above that), divided by the number of non-NaN values; NaN when
    /// there are none. The summation order matters in the last bit for 150- or 171-class datasets.
    /// </summary>
    public static double NanMean(IEnumerable<double> values)
    {
        var a = values.Select(v => double.IsNaN(v) ? 0.0 : v).ToArray();
        int n = values.Count(v => !double.IsNaN(v));
        return n == 0 ? double.NaN : PairwiseSum(a) / n;
    }

    private static double PairwiseSum(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0;
            for (int i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n <= 128)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            int i = 8;
            for (; i < n - n % 8; i += 8)
                for (int j = 0; j < 8; j++) r[j] += a[i + j];
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[i];
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return PairwiseSum(a[..n2]) + PairwiseSum(a[n2..]);
    }
}
