using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using Tcl.Evaluation.Benchmarks;
using Tcl.IO;

namespace Tcl.Data.Synthetic;

/// <summary>Where a synthetic benchmark was written and how to open it.</summary>
/// <param name="DataRoot">The data root (mmseg's <c>data/</c>) the manifest's layout is relative to.</param>
/// <param name="DatasetRoot">The benchmark's folder (<c>&lt;data root&gt;/synthetic/&lt;key&gt;</c>).</param>
/// <param name="ManifestPath">Its manifest (<c>manifest.json</c> in <paramref name="DatasetRoot"/>, class list beside it).</param>
/// <param name="Manifest">The manifest as written.</param>
/// <param name="Ids">The sample ids, in split-file order.</param>
public sealed record SyntheticBenchmarkLayout(string DataRoot, string DatasetRoot, string ManifestPath, BenchmarkManifest Manifest, IReadOnlyList<string> Ids)
{
    /// <summary>Label k = ClassNames[k].</summary>
    public IReadOnlyList<string> ClassNames => Manifest.ClassNames;

    /// <summary>The benchmark opened through the real segmentation-dataset reader.</summary>
    public SegmentationDataset Open() => SegmentationDataset.Open(Manifest, DataRoot);
}

/// <summary>
/// Writes synthetic evaluation scenes in the real benchmarks' on-disk format (a VOC-like image folder, label PNGs with
/// raw class indices, a split file) together with a manifest in the schema of <c>data-manifests/</c>, so the real
/// segmentation-dataset reader and the protocol code run unchanged on data whose ground truth is exact.
/// </summary>
public static class SyntheticBenchmark
{
    /// <summary>The manifest file name inside a benchmark folder.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>
    /// Writes the <paramref name="kind"/> benchmark of <paramref name="count"/> test scenes under
    /// <c>&lt;dataRoot&gt;/synthetic/&lt;key&gt;/</c>: <c>images/&lt;id&gt;.png</c> (or <c>.jpg</c>), palette label PNGs in
    /// <c>labels/&lt;id&gt;.png</c>, the ids in <c>val.txt</c>, and <c>manifest.json</c> + <c>classes.txt</c>. Every file is
    /// written atomically; re-running with the same arguments gives the same files.
    /// </summary>
    /// <param name="dataRoot">Output data root (created if needed).</param>
    /// <param name="kind">Which benchmark.</param>
    /// <param name="world">The world (its test split is drawn, through <see cref="SyntheticLabeling.SceneWorld"/>).</param>
    /// <param name="count">Number of scenes.</param>
    /// <param name="jpeg">Write images as JPEG (quality 95, like VOC) instead of exact PNG.</param>
    /// <param name="progress">Receives the number of scenes written so far.</param>
    public static SyntheticBenchmarkLayout Write(string dataRoot, SyntheticBenchmarkKind kind, SyntheticWorldConfig world, int count,
        bool jpeg = false, IProgress<int>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataRoot);
        ArgumentNullException.ThrowIfNull(world);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var layout = Layout(dataRoot, kind, world, count, jpeg);
        var manifest = layout.Manifest;
        string root = layout.DataRoot, dataset = layout.DatasetRoot;
        string images = Path.Combine(dataset, manifest.Layout.ImageDir), labels = Path.Combine(dataset, manifest.Layout.LabelDir);
        foreach (var d in new[] { images, labels }) Directory.CreateDirectory(d);
        var generator = new SyntheticGenerator(SyntheticLabeling.SceneWorld(kind, world));
        byte[] palette = LabelPng.VocPalette(256);   // 256 entries: the ignore label 255 is a palette index too
        for (int i = 0; i < count; i++)
        {
            var scene = generator.Generate(i, SyntheticSplit.Test);
            string id = layout.Ids[i];
            using (var image = scene.ToImage())
                AtomicFile.Write(Path.Combine(images, id + manifest.Layout.ImageSuffix), s =>
                {
                    if (jpeg) image.Save(s, new JpegEncoder { Quality = 95 });
                    else image.Save(s, new PngEncoder());
                });
            LabelPng.Write(Path.Combine(labels, id + manifest.Layout.LabelSuffix), SyntheticLabeling.Labels(kind, scene, world), scene.Size, scene.Size, palette);
            progress?.Report(i + 1);
        }
        AtomicFile.WriteText(Path.Combine(dataset, manifest.Layout.SplitFile!), string.Concat(layout.Ids.Select(id => id + "\n")));
        ManifestWriter.Write(manifest, layout.ManifestPath);
        return layout;
    }

    /// <summary>
    /// Where <see cref="Write"/> puts the benchmark, without writing anything: for reusing a benchmark written
    /// earlier with the same arguments (the ids are <c>synth_000000</c>, <c>synth_000001</c>, … in scene order).
    /// </summary>
    public static SyntheticBenchmarkLayout Layout(string dataRoot, SyntheticBenchmarkKind kind, SyntheticWorldConfig world, int count, bool jpeg = false)
    {
        var manifest = Manifest(kind, world, count, jpeg);
        string root = Path.GetFullPath(dataRoot), dataset = Path.Combine(root, manifest.Layout.DataRoot);
        var ids = Enumerable.Range(0, count).Select(i => $"synth_{i:D6}").ToList();
        return new SyntheticBenchmarkLayout(root, dataset, Path.Combine(dataset, ManifestFileName), manifest, ids);
    }

    /// <summary>The manifest of a synthetic benchmark of <paramref name="count"/> scenes of <paramref name="world"/>.</summary>
    public static BenchmarkManifest Manifest(SyntheticBenchmarkKind kind, SyntheticWorldConfig world, int count, bool jpeg = false)
    {
        string key = SyntheticLabeling.Key(kind);
        var names = SyntheticLabeling.ClassNames(kind, world);
        bool background = SyntheticLabeling.WithBackground(kind);
        return new BenchmarkManifest(
            Key: key,
            DisplayName: $"Synthetic world ({key})",
            PaperName: $"synthetic: {SyntheticLabeling.Description(kind)}",
            MmsegType: "CustomDataset",
            Downloads: [],
            Recipes: [],
            Preparation: [$"Generated, not downloaded: SyntheticBenchmark.Write (run by `tcl demo`) wrote {count} test scenes of world seed {world.Seed}, {world.ImageSize}×{world.ImageSize} pixels."],
            Layout: new DatasetLayout($"synthetic/{key}", "images", jpeg ? ".jpg" : ".png", "labels", ".png", "val.txt"),
            ExpectedImages: count,
            ExpectedLabels: count,
            ClassesFile: "classes.txt",
            ClassNames: names,
            LabelEncoding: background
                ? $"Palette PNG read as raw indices: 0 = background, 1..{names.Count - 1} = classes.txt lines 2..{names.Count}, 255 = ignored."
                : $"Palette PNG read as raw indices: 0..{names.Count - 1} = classes.txt lines 1..{names.Count}; no background.",
            LabelMapping: null,
            Evaluation: new BenchmarkEvaluationSettings(background, background ? names.Count - 1 : names.Count, ReduceZeroLabel: false, IgnoreIndex: SyntheticLabeling.Ignore),
            Conventions: [SyntheticLabeling.Description(kind)]);
    }
}
