using Tcl.Tests.Support;
using Tcl.Evaluation;
using Tcl.Visualization;
using Xunit;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Tests.Evaluation;

/// <summary>ScalarMap: planes from tensors, bilinear resize, IoU and contrast against regions, and its heatmap.</summary>
public class ScalarMapTests
{
    [Fact]
    public void FromPlanesCopiesEachPlaneRowMajor()
    {
        using var planes = Scalars.Arange(24).to(float32).reshape(2, 3, 4);     // [K=2, H=3, W=4]
        var maps = ScalarMap.FromPlanes(planes);
        Assert.Equal(2, maps.Count);
        Assert.Equal((4, 3), (maps[1].Width, maps[1].Height));
        Assert.Equal(12f + 2 * 4 + 3, maps[1][3, 2]);                    // plane 1, row 2, column 3
        Assert.Equal(0f, maps[0].Min);
        Assert.Equal(23f, maps[1].Max);
        Near.Abs(5.5, maps[0].Mean, 1e-12);                               // mean of 0..11, exact in double
        using var single = ones(2, 2);
        Assert.Single(ScalarMap.FromPlanes(single));
    }

    [Fact]
    public void ResizeKeepsConstantsAndInterpolatesWithHalfPixelCentres()
    {
        var constant = new ScalarMap(Enumerable.Repeat(0.3f, 4).ToArray(), 2, 2).Resized(8, 8);
        Assert.All(constant.Values, v => Near.Abs(0.3f, v, Near.Float32Eps));    // convex weights of 0.3f: ≤ 1 ulp
        var ramp = new ScalarMap([0f, 1f], 2, 1).Resized(4, 1);
        // Half-pixel centres: x = 0..3 sample source x = −0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1).
        Assert.Equal([0f, 0.25f, 0.75f, 1f], ramp.Values);
        var same = new ScalarMap([1f], 1, 1);
        Assert.Same(same, same.Resized(1, 1));
    }

    [Fact]
    public void IoUAndContrastCompareAMapWithARegion()
    {
        var map = new ScalarMap([0.9f, 0.6f, 0.2f, 0.1f], 2, 2);
        bool[] region = [true, false, false, false];
        Near.Abs(0.5, map.IoU(region, 0.5), 1e-12);                    // on: cells 0, 1; region: cell 0
        Near.Abs(1.0, map.IoU(region, 0.7), 1e-12);
        Assert.Equal(1.0, new ScalarMap([0f, 0f], 2, 1).IoU([false, false], 0.5)); // both empty
        Near.Abs((double)0.9f - ((double)0.6f + (double)0.2f + (double)0.1f) / 3, map.Contrast(region), 1e-12); // float32 values, double means
        Assert.True(double.IsNaN(map.Contrast([true, true, true, true])));
        Assert.Throws<ArgumentException>(() => map.IoU([true], 0.5));
        Assert.Equal([1f, 1f, 0f, 0f], map.Thresholded(0.5).Values);
        Assert.Equal((2, 2), (map.Thresholded(0.5).Width, map.Thresholded(0.5).Height));
        Near.Abs(0.25, map.Area(0.7), 1e-12);
    }

    [Fact]
    public void HeatmapOfAMapDrawsEachCellAsACrispBlock()
    {
        var map = new ScalarMap([0f, 1f, 0.5f, 0.25f], 2, 2);
        using var picture = MaskOverlay.Heatmap(map, 4, 4);
        Assert.Equal((4, 4), (picture.Width, picture.Height));
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                Assert.Equal(Viridis.Map(map[x / 2, y / 2]), picture[x, y]);
    }

    [Fact]
    public void HeatmapsShareOneScaleAcrossMaps()
    {
        var low = new ScalarMap([0f, 0.5f], 2, 1);
        var high = new ScalarMap([1f, 2f], 2, 1);
        var pictures = MaskOverlay.Heatmaps([low, high], 2, 1);
        Assert.Equal(Viridis.Map(0), pictures[0][0, 0]);                // global min 0 → darkest
        Assert.Equal(Viridis.Map(0.25), pictures[0][1, 0]);             // 0.5 of [0, 2]
        Assert.Equal(Viridis.Map(1), pictures[1][1, 0]);                // global max 2 → brightest
        Assert.Empty(MaskOverlay.Heatmaps([], 2, 1));
    }

    [Fact]
    public void MaskedKeepsPixelsWhereTheUpsampledMaskIsOnAndFillsTheRest()
    {
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(4, 4, new SixLabors.ImageSharp.PixelFormats.Rgb24(10, 20, 30));
        var mask = new ScalarMap([1f, 0f, 0f, 1f], 2, 2);                 // on: top-left and bottom-right 2×2 blocks
        using var masked = MaskOverlay.Masked(image, mask);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
            {
                bool on = (x < 2) == (y < 2);
                Assert.Equal(on ? new SixLabors.ImageSharp.PixelFormats.Rgb24(10, 20, 30) : new SixLabors.ImageSharp.PixelFormats.Rgb24(124, 116, 104), masked[x, y]);
            }
        using var region = MaskOverlay.Region(image, [true, .. new bool[15]], new SixLabors.ImageSharp.PixelFormats.Rgb24(255, 0, 0), alpha: 1);
        Assert.Equal(new SixLabors.ImageSharp.PixelFormats.Rgb24(255, 0, 0), region[0, 0]);
        Assert.Equal(new SixLabors.ImageSharp.PixelFormats.Rgb24(10, 20, 30), region[1, 0]);
    }
}

/// <summary>QueryComparison: captions with the right numbers, one row of panels per query.</summary>
public class QueryComparisonTests
{
    [Fact]
    public void RowsCarryIoUOrAreaAndThePanelsOfEveryMethod()
    {
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(2, 2);
        float[] perfect = [1f, 0f, 0f, 0f], empty = [0f, 0f, 0f, 0f];
        var methods = new List<(string, IReadOnlyList<float[]>)> { ("A", [perfect, perfect, perfect]), ("B", [empty, empty, empty]) };
        var rows = QueryComparison.Build(image, ["x", "absent", "free"], methods, null, 0.4, zoom: 2);
        Assert.Equal(3, rows.Count);
        Assert.Equal("\"x\": area above 0.40: A 25%, B 0%", rows[0].Caption.Replace(" %", "%"));
        var withTruth = QueryComparison.Build(image, ["x", "absent"], methods.Select(m => (m.Item1, (IReadOnlyList<float[]>)m.Item2.Take(2).ToList())).ToList(),
            [[true, false, false, false], new bool[4]], 0.4, zoom: 2);
        Assert.Equal("\"x\": IoU A 1.00, B 0.00", withTruth[0].Caption);
        Assert.StartsWith("\"absent\": not in the scene; area above 0.40: A 25", withTruth[1].Caption);
        // image + 2 panels per method, 4 px each, each captioned.
        Assert.Equal(5, withTruth[0].Panels.Panels.Count);
        Assert.All(withTruth[0].Panels.Panels, p => Assert.Equal((4, 4), (p.Image.Width, p.Image.Height)));
        Assert.Equal(["ground truth (tinted)", "A: score (0 dark, 1 yellow)", "A: score above 0.40", "B: score (0 dark, 1 yellow)", "B: score above 0.40"],
            withTruth[0].Panels.Panels.Select(p => p.Caption));
        Assert.Equal("image", rows[0].Panels.Panels[0].Caption);
        foreach (var r in rows.Concat(withTruth)) r.Panels.Dispose();
        Assert.Throws<ArgumentException>(() => QueryComparison.Build(image, ["x"], methods, null, 0.4));
    }
}
