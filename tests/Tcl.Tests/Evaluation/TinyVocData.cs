using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.IO;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// A tiny PASCAL VOC 2012 in its real layout (<c>VOCdevkit/VOC2012/{JPEGImages, SegmentationClass,
/// ImageSets/Segmentation/val.txt}</c>): a few images of odd sizes with a coloured square on a grey ground and
/// label PNGs (square = a class, ground = background, a 255 border), for end-to-end evaluation tests.
/// </summary>
public sealed class TinyVocData : IDisposable
{
    public TinyVocData(int images = 3)
    {
        Root = Directory.CreateTempSubdirectory("tcl-voc-").FullName;
        var voc = Path.Combine(Root, "VOCdevkit", "VOC2012");
        foreach (var d in new[] { "JPEGImages", "SegmentationClass", "ImageSets/Segmentation" }) Directory.CreateDirectory(Path.Combine(voc, d));
        var ids = new List<string>();
        for (int i = 0; i < images; i++)
        {
            string id = $"2007_{i:D6}";
            int w = 50 + 13 * i, h = 38 + 7 * i;
            using var image = new Image<Rgb24>(w, h, new Rgb24(128, 128, 128));
            var labels = new byte[w * h];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    bool inSquare = x >= w / 4 && x < w / 2 && y >= h / 4 && y < 3 * h / 4;
                    bool border = x == 0 || y == 0 || x == w - 1 || y == h - 1;
                    if (inSquare) image[x, y] = new Rgb24(200, 30, 30);
                    labels[y * w + x] = border ? (byte)255 : inSquare ? (byte)(1 + i) : (byte)0;
                }
            image.SaveAsJpeg(Path.Combine(voc, "JPEGImages", id + ".jpg"));
            LabelPng.Write(Path.Combine(voc, "SegmentationClass", id + ".png"), labels, w, h);
            ids.Add(id);
        }
        File.WriteAllLines(Path.Combine(voc, "ImageSets", "Segmentation", "val.txt"), ids);
        Ids = ids;
    }

    /// <summary>The data root (holds <c>VOCdevkit/</c>).</summary>
    public string Root { get; }

    public IReadOnlyList<string> Ids { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
