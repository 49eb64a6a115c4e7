using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using Tcl.IO;

namespace Tcl.Data.Synthetic;

/// <summary>Where a synthetic benchmark was written and what its labels mean.</summary>
/// <param name="DataRoot">The data root (mmseg's <c>data/</c>) holding <c>VOCdevkit</c>.</param>
/// <param name="DatasetRoot">The <c>VOCdevkit/VOC2012</c> folder.</param>
/// <param name="ClassNames">Label k = ClassNames[k] (0 = background).</param>
/// <param name="Ids">The sample ids, in split-file order.</param>
public sealed record SyntheticBenchmarkLayout(string DataRoot, string DatasetRoot, IReadOnlyList<string> ClassNames, IReadOnlyList<string> Ids);

/// <summary>
/// Writes synthetic evaluation scenes in the real benchmarks' on-disk formats, so the real segmentation-dataset
/// readers and the protocol code are exercised unchanged on data whose ground truth is exact.
/// </summary>
public static class SyntheticBenchmark
{
    /// <summary>
    /// Writes the "with background" benchmark (objects + background 0, like PASCAL VOC) in VOC's layout under
    /// <paramref name="dataRoot"/>: <c>VOCdevkit/VOC2012/JPEGImages/&lt;id&gt;.jpg</c>, label PNGs (palette, raw class ids)
    /// in <c>SegmentationClass/&lt;id&gt;.png</c>, the id list in <c>ImageSets/Segmentation/val.txt</c> and the class
    /// names, one a line, in <c>classes.txt</c>.
    /// </summary>
    /// <param name="dataRoot">Output data root (created if needed).</param>
    /// <param name="config">The world.</param>
    /// <param name="count">Number of scenes.</param>
    /// <param name="split">Which split's scenes to write (normally <see cref="SyntheticSplit.Test"/>).</param>
    /// <param name="png">Write images as <c>.png</c> (exact pixels) instead of VOC's <c>.jpg</c>.</param>
    /// <param name="progress">Receives the number of scenes written so far.</param>
    public static SyntheticBenchmarkLayout WriteVocLayout(string dataRoot, SyntheticWorldConfig config, int count,
        SyntheticSplit split = SyntheticSplit.Test, bool png = false, IProgress<int>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataRoot);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var generator = new SyntheticGenerator(config);
        string root = Path.GetFullPath(dataRoot), dataset = Path.Combine(root, "VOCdevkit", "VOC2012");
        string images = Path.Combine(dataset, "JPEGImages"), labels = Path.Combine(dataset, "SegmentationClass");
        string splits = Path.Combine(dataset, "ImageSets", "Segmentation");
        foreach (var d in new[] { images, labels, splits }) Directory.CreateDirectory(d);
        var names = config.ObjectClassNames;
        byte[] palette = LabelPng.VocPalette(names.Count);
        var ids = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            var scene = generator.Generate(i, split);
            string id = $"synth_{i:D6}";
            using (var image = scene.ToImage())
            {
                string path = Path.Combine(images, id + (png ? ".png" : ".jpg"));
                AtomicFile.Write(path, s =>
                {
                    if (png) image.Save(s, new PngEncoder());
                    else image.Save(s, new JpegEncoder { Quality = 95 });
                });
            }
            LabelPng.Write(Path.Combine(labels, id + ".png"), scene.WithBackgroundLabels(), scene.Size, scene.Size, palette);
            ids.Add(id);
            progress?.Report(i + 1);
        }
        AtomicFile.WriteText(Path.Combine(splits, "val.txt"), string.Concat(ids.Select(id => id + "\n")));
        AtomicFile.WriteText(Path.Combine(dataset, "classes.txt"), string.Concat(names.Select(n => n + "\n")));
        return new SyntheticBenchmarkLayout(root, dataset, names, ids);
    }
}
