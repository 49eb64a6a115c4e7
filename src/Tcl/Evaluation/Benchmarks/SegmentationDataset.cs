namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// Lists the samples of a prepared benchmark in its standard on-disk layout (the one mmseg's dataset recipes produce
/// and the official evaluation reads): from the split file for VOC and Context, by a sorted recursive scan of the
/// image folder for COCO, Cityscapes and ADE20K (mmseg's <c>CustomDataset</c> order). Returns paths only; decoding is
/// the image readers' job.
/// </summary>
/// <remarks>
/// Enumeration fails only when something it needs is absent (dataset, image or label folder, split file, or a file of
/// a listed sample); whether the counts match the official split is a separate question answered by
/// <see cref="Verify"/>, so that a deliberately partial dataset still runs.
/// </remarks>
public sealed class SegmentationDataset
{
    private const int MaxReportedMissing = 20;

    private SegmentationDataset(BenchmarkManifest manifest, string dataRoot)
    {
        Manifest = manifest;
        DataRoot = Path.GetFullPath(dataRoot);
        DatasetRoot = Path.GetFullPath(Path.Combine(DataRoot, manifest.Layout.DataRoot));
        ImageDir = Path.Combine(DatasetRoot, manifest.Layout.ImageDir);
        LabelDir = Path.Combine(DatasetRoot, manifest.Layout.LabelDir);
        SplitFile = manifest.Layout.SplitFile is { } split ? Path.Combine(DatasetRoot, split) : null;
    }

    /// <summary>The benchmark.</summary>
    public BenchmarkManifest Manifest { get; }

    /// <summary>The user's data root (mmseg's <c>data/</c>) holding <c>VOCdevkit</c>, <c>coco_stuff164k</c>, <c>cityscapes</c>, <c>ade</c>.</summary>
    public string DataRoot { get; }

    /// <summary><see cref="DataRoot"/> joined with the manifest's <c>data_root</c> (e.g. <c>…/VOCdevkit/VOC2012</c>).</summary>
    public string DatasetRoot { get; }

    /// <summary>The image folder.</summary>
    public string ImageDir { get; }

    /// <summary>The label folder.</summary>
    public string LabelDir { get; }

    /// <summary>The split file, or <see langword="null"/> for benchmarks listed by scanning.</summary>
    public string? SplitFile { get; }

    /// <summary>Points at a benchmark under a data root; nothing is read until <see cref="Samples"/> or <see cref="Verify"/>.</summary>
    /// <param name="manifest">The benchmark (e.g. <c>BenchmarkCatalog.Get("voc")</c>).</param>
    /// <param name="dataRoot">The folder holding the datasets in mmseg's layout (mmseg's <c>data/</c>).</param>
    public static SegmentationDataset Open(BenchmarkManifest manifest, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataRoot);
        return new SegmentationDataset(manifest, dataRoot);
    }

    /// <summary>Points at the catalog benchmark <paramref name="key"/> under a data root.</summary>
    /// <param name="key">Benchmark key (case-insensitive), e.g. <c>voc20</c>.</param>
    /// <param name="dataRoot">The folder holding the datasets in mmseg's layout.</param>
    public static SegmentationDataset Open(string key, string dataRoot) => Open(BenchmarkCatalog.Get(key), dataRoot);

    /// <summary>The samples in evaluation order (split-file order, or sorted by image path relative to the image folder).</summary>
    /// <exception cref="BenchmarkDataException">
    /// The dataset, image or label folder or the split file is missing, or an image or label of a listed sample is
    /// absent; the message names the path and the manifest to read.
    /// </exception>
    public IReadOnlyList<SegmentationSample> Samples()
    {
        Listing listing = List();
        if (listing.MissingStructure is { } missing)
            throw new BenchmarkDataException($"{Describe(missing)} {Manifest.HowToPrepareHint}", Manifest, missing.Path);
        ThrowIfMissing(listing.MissingLabels, listing.Samples.Count, "label", LabelDir, Manifest.Layout.LabelSuffix);
        ThrowIfMissing(listing.MissingImages, listing.Samples.Count, "image", ImageDir, Manifest.Layout.ImageSuffix);
        return listing.Samples;
    }

    /// <summary>
    /// Counts images and labels against the manifest's expected numbers (e.g. 1,449 for VOC val) without throwing;
    /// call <see cref="DatasetVerification.ThrowIfIncomplete"/> on the result to insist on the full split.
    /// </summary>
    public DatasetVerification Verify()
    {
        Listing listing = List();
        if (listing.MissingStructure is { } missing)
            return new DatasetVerification(Manifest, Manifest.ExpectedImages, 0, Manifest.ExpectedLabels, 0, [missing.Path]);
        int n = listing.Samples.Count;
        IReadOnlyList<string> missingFiles = listing.MissingImages.Concat(listing.MissingLabels).Take(MaxReportedMissing).ToArray();
        return new DatasetVerification(Manifest, Manifest.ExpectedImages, n - listing.MissingImages.Count,
            Manifest.ExpectedLabels, n - listing.MissingLabels.Count, missingFiles);
    }

    private sealed record MissingPart(string What, string Path);

    private sealed record Listing(
        IReadOnlyList<SegmentationSample> Samples,
        IReadOnlyList<string> MissingImages,
        IReadOnlyList<string> MissingLabels,
        MissingPart? MissingStructure);

    private Listing List()
    {
        MissingPart? structure = FindMissingStructure();
        if (structure is not null)
            return new Listing([], [], [], structure);
        IEnumerable<string> ids = SplitFile is null ? ScanIds() : ReadSplitIds(SplitFile);
        var samples = new List<SegmentationSample>();
        var missingImages = new List<string>();
        var missingLabels = new List<string>();
        foreach (string id in ids)
        {
            var sample = new SegmentationSample(id, PathOf(ImageDir, id, Manifest.Layout.ImageSuffix), PathOf(LabelDir, id, Manifest.Layout.LabelSuffix));
            if (SplitFile is not null && !File.Exists(sample.ImagePath))
                missingImages.Add(sample.ImagePath);
            if (!File.Exists(sample.LabelPath))
                missingLabels.Add(sample.LabelPath);
            samples.Add(sample);
        }
        return new Listing(samples, missingImages, missingLabels, null);
    }

    private MissingPart? FindMissingStructure()
    {
        if (!Directory.Exists(DatasetRoot))
            return new MissingPart("dataset folder", DatasetRoot);
        if (!Directory.Exists(ImageDir))
            return new MissingPart("image folder", ImageDir);
        if (!Directory.Exists(LabelDir))
            return new MissingPart("label folder", LabelDir);
        if (SplitFile is not null && !File.Exists(SplitFile))
            return new MissingPart("split file", SplitFile);
        return null;
    }

    private string Describe(MissingPart missing)
    {
        string where = missing.What == "dataset folder"
            ? $" (the data root '{DataRoot}' should contain '{Manifest.Layout.DataRoot}')"
            : $" (inside '{DatasetRoot}')";
        return $"{Manifest.DisplayName}: the {missing.What} '{missing.Path}' is missing{where}.";
    }

    private void ThrowIfMissing(IReadOnlyList<string> missing, int listed, string kind, string folder, string suffix)
    {
        if (missing.Count == 0)
            return;
        string source = SplitFile is null ? $"images found in '{ImageDir}'" : $"ids listed in '{SplitFile}'";
        string examples = string.Join(", ", missing.Take(3).Select(p => $"'{p}'"));
        throw new BenchmarkDataException(
            $"{Manifest.DisplayName}: {missing.Count} of {listed} {kind} files (*{suffix}) for the {source} "
            + $"are missing in '{folder}', e.g. {examples}. {Manifest.HowToPrepareHint}",
            Manifest, missing[0]);
    }

    /// <summary>Split-file ids: one per line, surrounding whitespace removed, blank lines skipped (mmseg's <c>line.strip()</c>).</summary>
    private static IEnumerable<string> ReadSplitIds(string splitFile) =>
        File.ReadLines(splitFile).Select(line => line.Trim()).Where(id => id.Length > 0);

    /// <summary>
    /// Image ids found by a recursive scan for the image suffix, ordered like mmseg (ordinal sort of the relative file
    /// name, suffix included), with <c>/</c> as separator on every platform.
    /// </summary>
    private IEnumerable<string> ScanIds()
    {
        string suffix = Manifest.Layout.ImageSuffix;
        return Directory.EnumerateFiles(ImageDir, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(ImageDir, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(relative => relative.EndsWith(suffix, StringComparison.Ordinal) && relative.Length > suffix.Length)
            .Order(StringComparer.Ordinal)
            .Select(relative => relative[..^suffix.Length]);
    }

    private static string PathOf(string folder, string id, string suffix) =>
        Path.Combine(folder, (id + suffix).Replace('/', Path.DirectorySeparatorChar));
}
