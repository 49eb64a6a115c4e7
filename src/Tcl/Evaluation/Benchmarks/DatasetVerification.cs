namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// The outcome of <see cref="SegmentationDataset.Verify"/>: how many images and labels a prepared benchmark has
/// against the numbers its manifest expects. A report rather than an exception so that a partial dataset (e.g. a
/// quick run on the first 100 VOC images) stays usable and a caller decides whether counts matter.
/// </summary>
/// <param name="Manifest">The benchmark.</param>
/// <param name="ExpectedImages">Images the manifest expects (e.g. 1,449 for VOC val).</param>
/// <param name="FoundImages">Images listed (split file lines) or found (scan).</param>
/// <param name="ExpectedLabels">Label maps the manifest expects.</param>
/// <param name="FoundLabels">Label maps present for the listed samples.</param>
/// <param name="MissingFiles">Image or label files of listed samples that are absent (at most the first 20).</param>
public sealed record DatasetVerification(
    BenchmarkManifest Manifest,
    int ExpectedImages,
    int FoundImages,
    int ExpectedLabels,
    int FoundLabels,
    IReadOnlyList<string> MissingFiles)
{
    /// <summary>Whether every expected image and label is there.</summary>
    public bool IsComplete => FoundImages == ExpectedImages && FoundLabels == ExpectedLabels && MissingFiles.Count == 0;

    /// <summary>One paragraph describing the counts; for an incomplete dataset it ends with the manifest hint.</summary>
    public string Message
    {
        get
        {
            string counts = $"{Manifest.DisplayName}: expected {ExpectedImages} images and {ExpectedLabels} labels, "
                + $"found {FoundImages} images and {FoundLabels} labels.";
            if (IsComplete)
                return counts;
            string missing = MissingFiles.Count == 0 ? "" : $" Missing, e.g.: {string.Join(", ", MissingFiles.Take(3))}.";
            return $"{counts}{missing} {Manifest.HowToPrepareHint}";
        }
    }

    /// <summary>Throws when the dataset is incomplete.</summary>
    /// <exception cref="BenchmarkDataException">Counts differ from the manifest's.</exception>
    public void ThrowIfIncomplete()
    {
        if (!IsComplete)
            throw new BenchmarkDataException(Message, Manifest, MissingFiles.FirstOrDefault());
    }
}
