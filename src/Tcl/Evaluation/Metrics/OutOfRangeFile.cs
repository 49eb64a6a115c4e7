namespace Tcl.Evaluation.Metrics;

/// <summary>Which side of a comparison a label file is.</summary>
public enum LabelSide
{
    /// <summary>A ground-truth label PNG of the benchmark.</summary>
    GroundTruth,

    /// <summary>A prediction PNG (<c>--predictions</c>).</summary>
    Prediction,
}

/// <summary>
/// A label file holding ids outside the class range: mmseg drops such pixels without a word (they count in no class),
/// and so does the metric, but the files are listed so the user learns that the data or the predictions use another
/// label set (e.g. a 150-class map scored as 59 classes, or 255 written for "unknown" in a prediction).
/// </summary>
/// <param name="Path">The PNG.</param>
/// <param name="Side">Ground truth or prediction.</param>
/// <param name="Pixels">Pixels with an out-of-range id (for predictions: among the scored, non-ignored pixels).</param>
public sealed record OutOfRangeFile(string Path, LabelSide Side, long Pixels)
{
    /// <summary>The files of <paramref name="areas"/>'s image that hold out-of-range ids.</summary>
    public static IEnumerable<OutOfRangeFile> Of(ImageAreas areas, string groundTruthPath, string? predictionPath)
    {
        if (areas.OutOfRangeLabels > 0) yield return new OutOfRangeFile(groundTruthPath, LabelSide.GroundTruth, areas.OutOfRangeLabels);
        if (areas.OutOfRangePredictions > 0 && predictionPath is not null)
            yield return new OutOfRangeFile(predictionPath, LabelSide.Prediction, areas.OutOfRangePredictions);
    }

    /// <summary>One warning line per side for a benchmark's files (empty when there are none), naming up to
    /// <paramref name="shown"/> files each with its count.</summary>
    public static IEnumerable<string> Warnings(string dataset, int numClasses, IReadOnlyList<OutOfRangeFile> files, int shown = 5)
    {
        foreach (var side in new[] { LabelSide.GroundTruth, LabelSide.Prediction })
        {
            var these = files.Where(f => f.Side == side).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
            if (these.Count == 0) continue;
            string what = side == LabelSide.GroundTruth ? "ground-truth label" : "prediction";
            string list = string.Join(", ", these.Take(shown).Select(f => $"'{f.Path}' ({f.Pixels} px)"));
            string more = these.Count > shown ? $", … and {these.Count - shown} more" : "";
            yield return $"{dataset}: {these.Count} {what} {(these.Count == 1 ? "file holds" : "files hold")} ids outside 0..{numClasses - 1} " +
                         $"(and not the ignore index); their {these.Sum(f => f.Pixels)} pixels count in no class, as in mmseg: {list}{more}.";
        }
    }
}
