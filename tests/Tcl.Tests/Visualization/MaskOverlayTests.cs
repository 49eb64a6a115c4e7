using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.IO;
using Tcl.Visualization;
using Xunit;

namespace Tcl.Tests.Visualization;

/// <summary>Overlay pixel arithmetic, colormap endpoints, composition sizes and PNG round trips.</summary>
public class MaskOverlayTests
{
    private static readonly Rgb24 Red = new(255, 0, 0);

    /// <summary>A <paramref name="w"/>×<paramref name="h"/> image whose every pixel differs.</summary>
    private static Image<Rgb24> Gradient(int w = 8, int h = 6)
    {
        var image = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                image[x, y] = new Rgb24((byte)(x * 30), (byte)(y * 40), (byte)(100 + x + y));
        return image;
    }

    private static Rgb24[] Pixels(Image<Rgb24> image)
    {
        var p = new Rgb24[image.Width * image.Height];
        image.CopyPixelDataTo(p);
        return p;
    }

    private static byte Expected(byte pixel, byte colour, double w) => (byte)Math.Round(pixel * (1 - w) + colour * w);

    [Fact]
    public void FullMaskGivesTheBlendedColourAndLeavesTheInputUnchanged()
    {
        using var image = Gradient();
        var before = Pixels(image);
        var mask = Enumerable.Repeat(1f, 8 * 6).ToArray();
        using var blended = MaskOverlay.Blend(image, mask, 8, 6, Red, alpha: 0.55);
        var after = Pixels(blended);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(Expected(before[i].R, 255, 0.55), after[i].R);
            Assert.Equal(Expected(before[i].G, 0, 0.55), after[i].G);
            Assert.Equal(Expected(before[i].B, 0, 0.55), after[i].B);
        }
        Assert.Equal(before, Pixels(image));

        using var opaque = MaskOverlay.Blend(image, mask, 8, 6, Red, alpha: 1);
        Assert.All(Pixels(opaque), p => Assert.Equal(Red, p));
    }

    [Fact]
    public void ZeroMaskLeavesEveryPixel()
    {
        using var image = Gradient();
        using var blended = MaskOverlay.Blend(image, new float[8 * 6], 8, 6, Red);
        Assert.Equal(Pixels(image), Pixels(blended));
        Assert.NotSame(image, blended);
    }

    [Fact]
    public void SmallerMaskIsResizedBilinearlyToTheImage()
    {
        using var image = new Image<Rgb24>(8, 4, new Rgb24(0, 0, 0));
        // [1, 2] mask: left half off, right half on → after resizing the left edge stays 0, the right edge is 1,
        // and values rise monotonically in between.
        using var blended = MaskOverlay.Blend(image, [0f, 1f], 2, 1, new Rgb24(200, 200, 200), alpha: 1);
        Assert.Equal(8, blended.Width);
        Assert.Equal(4, blended.Height);
        for (int y = 0; y < 4; y++)
        {
            Assert.Equal(0, blended[0, y].R);
            Assert.Equal(0, blended[1, y].R);
            Assert.Equal(200, blended[6, y].R);
            Assert.Equal(200, blended[7, y].R);
            for (int x = 1; x < 8; x++) Assert.True(blended[x, y].R >= blended[x - 1, y].R);
        }
        // Half-pixel centres: x = 3 samples source 0.375 → 0.375·200 = 75.
        Assert.Equal(75, blended[3, 0].R);
    }

    [Fact]
    public void LabelOverlayColoursLabelsAndSkipsIgnoreAndOptionallyZero()
    {
        using var image = new Image<Rgb24>(4, 1, new Rgb24(100, 100, 100));
        var palette = LabelPng.VocPalette(21);
        byte[] labels = [0, 1, 255, 15];
        using var all = MaskOverlay.Labels(image, labels, 4, 1, palette, alpha: 1);
        Assert.Equal(new Rgb24(palette[0], palette[1], palette[2]), all[0, 0]);
        Assert.Equal(new Rgb24(palette[3], palette[4], palette[5]), all[1, 0]);
        Assert.Equal(new Rgb24(100, 100, 100), all[2, 0]);                       // 255 = ignore
        Assert.Equal(new Rgb24(palette[45], palette[46], palette[47]), all[3, 0]);

        using var noBackground = MaskOverlay.Labels(image, labels, 4, 1, palette, alpha: 0.5, skipZero: true);
        Assert.Equal(new Rgb24(100, 100, 100), noBackground[0, 0]);
        Assert.Equal(new Rgb24(100, 100, 100), noBackground[2, 0]);
        Assert.Equal(Expected(100, palette[3], 0.5), noBackground[1, 0].R);      // VOC class 1 = (128, 0, 0)
        Assert.Equal(Expected(100, palette[4], 0.5), noBackground[1, 0].G);
        Assert.Equal(new Rgb24(100, 100, 100), image[1, 0]);
    }

    [Fact]
    public void HeatmapEndpointsAreViridisEnds()
    {
        using var map = MaskOverlay.Heatmap([0f, 1f, -5f, 7f, 0.5f, float.NaN], 3, 2);
        Assert.Equal(new Rgb24(0x44, 0x01, 0x54), map[0, 0]);
        Assert.Equal(new Rgb24(0xfd, 0xe7, 0x25), map[1, 0]);
        Assert.Equal(map[0, 0], map[2, 0]);                                     // clamped below
        Assert.Equal(map[1, 0], map[0, 1]);                                     // clamped above
        Assert.True(map[1, 1].G > map[0, 0].G && map[1, 1].G < map[1, 0].G);    // mid-scale is in between
        Assert.Equal(new Rgb24(0, 0, 0), map[2, 1]);                            // NaN

        using var scaled = MaskOverlay.Heatmap([-2f, 2f], 2, 1, min: -2, max: 2);
        Assert.Equal(new Rgb24(0x44, 0x01, 0x54), scaled[0, 0]);
        Assert.Equal(new Rgb24(0xfd, 0xe7, 0x25), scaled[1, 0]);
    }

    [Fact]
    public void UpscaleIsNearestNeighbourAndRowPlacesImagesSideBySide()
    {
        using var image = Gradient(3, 2);
        using var big = MaskOverlay.Upscale(image, 4);
        Assert.Equal((12, 8), (big.Width, big.Height));
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 12; x++)
                Assert.Equal(image[x / 4, y / 4], big[x, y]);

        using var tall = new Image<Rgb24>(2, 5, Red);
        using var row = MaskOverlay.Row([image, tall], gap: 3, background: new Rgb24(1, 2, 3));
        Assert.Equal((3 + 3 + 2, 5), (row.Width, row.Height));
        Assert.Equal(image[2, 1], row[2, 1]);
        Assert.Equal(new Rgb24(1, 2, 3), row[0, 4]);                              // below the shorter image
        Assert.Equal(new Rgb24(1, 2, 3), row[4, 0]);                              // the gap
        Assert.Equal(Red, row[6, 0]);
        Assert.Equal(Red, row[7, 4]);
    }

    [Fact]
    public void DataUriDecodesToTheSamePixels()
    {
        using var image = Gradient();
        var uri = MaskOverlay.ToPngDataUri(image);
        Assert.StartsWith("data:image/png;base64,", uri);
        using var decoded = Image.Load<Rgb24>(Convert.FromBase64String(uri["data:image/png;base64,".Length..]));
        Assert.Equal(Pixels(image), Pixels(decoded));
    }

    [Fact]
    public void SavePngWritesADecodablePngAndNoTemporaryFile()
    {
        var dir = Directory.CreateTempSubdirectory("tcl-vis-");
        try
        {
            using var image = Gradient();
            var path = Path.Combine(dir.FullName, "sub", "overlay.png");
            MaskOverlay.SavePng(image, path);
            using var loaded = Image.Load<Rgb24>(path);
            Assert.Equal(Pixels(image), Pixels(loaded));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void WrongMaskSizeIsRejected()
    {
        using var image = Gradient();
        Assert.Throws<ArgumentException>(() => MaskOverlay.Blend(image, new float[5], 2, 2, Red));
    }
}
