using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Tcl.Tests.Evaluation.Benchmarks;

/// <summary>
/// A temporary data root into which tests write tiny benchmark files at literal paths of the real layouts
/// (<c>VOCdevkit/VOC2012/JPEGImages/…</c>), so the readers are checked against the layouts, not against themselves.
/// </summary>
internal sealed class TinyBenchmarkFolder : IDisposable
{
    public TinyBenchmarkFolder() =>
        Root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tcl-bench-" + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>The data root (mmseg's <c>data/</c>).</summary>
    public string Root { get; }

    /// <summary>Full path of <paramref name="relative"/> (forward slashes) under the root.</summary>
    public string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>
    /// Writes a 4×3 image at <paramref name="relative"/>: a JPEG for <c>.jpg</c>, otherwise a PNG (8-bit grey for label
    /// maps, whose pixel values are the label indices).
    /// </summary>
    public string Image(string relative, byte value = 1)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (relative.EndsWith(".jpg", StringComparison.Ordinal))
        {
            using var rgb = new Image<Rgb24>(4, 3, new Rgb24(value, 100, 200));
            rgb.SaveAsJpeg(path);
        }
        else
        {
            using var grey = new Image<L8>(4, 3, new L8(value));
            grey.Save(path, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
        }
        return path;
    }

    /// <summary>Writes a text file (a split file) with the given lines.</summary>
    public string Text(string relative, params string[] lines)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    /// <summary>Writes an image and a label for each id under the given folders.</summary>
    public void Pairs(string imageDir, string imageSuffix, string labelDir, string labelSuffix, params string[] ids)
    {
        foreach (string id in ids)
        {
            Image($"{imageDir}/{id}{imageSuffix}");
            Image($"{labelDir}/{id}{labelSuffix}");
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
