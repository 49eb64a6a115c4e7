namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// One evaluation image and its ground-truth label map, as paths: decoding is left to the image readers (label PNGs
/// must be read as raw indices, not through a palette), so enumerating a 5,000-image benchmark costs no decoding.
/// </summary>
/// <param name="Id">
/// Sample id as mmseg names it: the split-file line (VOC, Context), or the image path relative to the image folder
/// without its suffix, with <c>/</c> separators (e.g. <c>frankfurt/frankfurt_000000_000294</c> for Cityscapes).
/// </param>
/// <param name="ImagePath">Full path of the image.</param>
/// <param name="LabelPath">Full path of the label map.</param>
public sealed record SegmentationSample(string Id, string ImagePath, string LabelPath);
