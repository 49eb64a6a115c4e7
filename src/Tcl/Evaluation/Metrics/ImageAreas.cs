namespace Tcl.Evaluation.Metrics;

/// <summary>
/// The four per-class pixel counts of one image (mmseg's <c>intersect_and_union</c> return value), as integers: mmseg
/// counts with float32 <c>histc</c>, which is exact below 2^24 pixels per image; longs are exact always.
/// </summary>
/// <param name="Intersect">#(pred = gt = c) per class.</param>
/// <param name="Union">pred area + label area − intersection per class.</param>
/// <param name="PredLabel">#(pred = c) over the scored (non-ignored) pixels.</param>
/// <param name="Label">#(gt = c) over the scored pixels.</param>
public sealed record ImageAreas(long[] Intersect, long[] Union, long[] PredLabel, long[] Label)
{
    /// <summary>Number of classes.</summary>
    public int NumClasses => Intersect.Length;
}
