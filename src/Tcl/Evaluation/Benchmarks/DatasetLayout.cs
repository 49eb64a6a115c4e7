namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// Where a benchmark's images and label maps sit on disk, in the terms of the mmsegmentation config the official
/// evaluation uses (<c>data_root</c>, <c>img_dir</c>, <c>ann_dir</c>, suffixes, split file), so that a data folder
/// prepared with the mmseg recipes is read without moving anything.
/// </summary>
/// <param name="DataRoot">Dataset folder relative to the user's data root (mmseg's <c>data/</c>), e.g. <c>VOCdevkit/VOC2012</c>.</param>
/// <param name="ImageDir">Image folder relative to <paramref name="DataRoot"/>.</param>
/// <param name="ImageSuffix">What every image file name ends with after the sample id (<c>.jpg</c>, <c>_leftImg8bit.png</c>).</param>
/// <param name="LabelDir">Label-map folder relative to <paramref name="DataRoot"/>.</param>
/// <param name="LabelSuffix">What every label file name ends with after the sample id (<c>.png</c>, <c>_labelTrainIds.png</c>).</param>
/// <param name="SplitFile">
/// Split file relative to <paramref name="DataRoot"/> listing one sample id per line, or <see langword="null"/> when
/// the samples are found by scanning <paramref name="ImageDir"/> (COCO, Cityscapes, ADE20K).
/// </param>
public sealed record DatasetLayout(
    string DataRoot,
    string ImageDir,
    string ImageSuffix,
    string LabelDir,
    string LabelSuffix,
    string? SplitFile)
{
    /// <summary>Whether the samples come from a split file (VOC, Context) rather than from scanning the image folder.</summary>
    public bool UsesSplitFile => SplitFile is not null;
}
