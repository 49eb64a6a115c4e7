namespace Tcl.Evaluation.Metrics;

/// <summary>
/// The four per-class pixel counts of one image (mmseg's <c>intersect_and_union</c> return value), as integers: mmseg
/// counts with float32 <c>histc</c>, which is exact below 2^24 pixels per image; longs are exact always. Also the
/// pixels mmseg drops silently, so that they can be reported.
/// </summary>
/// <param name="Intersect">#(pred = gt = c) per class.</param>
/// <param name="Union">pred area + label area − intersection per class.</param>
/// <param name="PredLabel">#(pred = c) over the scored (non-ignored) pixels.</param>
/// <param name="Label">#(gt = c) over the scored pixels.</param>
/// <param name="OutOfRangeLabels">Ground-truth pixels whose label (after label map and zero-label reduction) is
/// neither a class 0..C−1 nor the ignore index: counted in no class, as mmseg's <c>histc</c> does.</param>
/// <param name="OutOfRangePredictions">Scored pixels whose prediction is not a class 0..C−1: counted in no class's
/// predicted area (their ground truth still counts as missed).</param>
public sealed record ImageAreas(long[] Intersect, long[] Union, long[] PredLabel, long[] Label,
    long OutOfRangeLabels = 0, long OutOfRangePredictions = 0)
{
    /// <summary>Number of classes.</summary>
    public int NumClasses => Intersect.Length;
}
