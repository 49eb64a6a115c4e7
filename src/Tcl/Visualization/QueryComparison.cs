using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Evaluation;

namespace Tcl.Visualization;

/// <summary>One query's pictures side by side and the line of text that goes above them.</summary>
/// <param name="Query">The query.</param>
/// <param name="Caption">What the panels show in numbers: the IoU of each method's thresholded mask with the ground
/// truth, or — without ground truth, or when the query names nothing in the scene — the area each mask covers.</param>
/// <param name="Panels">The image (ground truth tinted when given), then per method its score as a viridis heatmap
/// (0 dark, 1 yellow) and its thresholded mask tinted over the image, each with its caption; the caller disposes it.</param>
public sealed record QueryComparisonRow(string Query, string Caption, PanelGrid Panels);

/// <summary>
/// Methods' masks of the same queries on one image, laid out for reading: per query one row of panels and a caption
/// with the numbers behind them. Scores in [0, 1] are shown both raw (a heatmap: weak masks stay visible) and
/// thresholded (what an IoU counts), so a faint tint is never mistaken for an absent mask.
/// </summary>
public static class QueryComparison
{
    /// <summary>Builds one row per query.</summary>
    /// <param name="image">The image the masks belong to.</param>
    /// <param name="queries">The queries, in the order of each method's masks.</param>
    /// <param name="methods">Per method its name and masks (one row-major <c>[H, W]</c> array per query, the image's size,
    /// as <see cref="TextQueries.Masks"/> returns).</param>
    /// <param name="regions">Ground truth per query (row-major, the image's size), or null for free-form queries.</param>
    /// <param name="threshold">A pixel is in a mask when its score is above this (the protocol's background score).</param>
    /// <param name="zoom">Integer enlargement of every panel.</param>
    /// <param name="tint">Colour of regions and masks.</param>
    public static IReadOnlyList<QueryComparisonRow> Build(Image<Rgb24> image, IReadOnlyList<string> queries,
        IReadOnlyList<(string Name, IReadOnlyList<float[]> Masks)> methods, IReadOnlyList<bool[]>? regions, double threshold,
        int zoom = 3, Rgb24? tint = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(methods);
        if (methods.Any(m => m.Masks.Count != queries.Count) || (regions is not null && regions.Count != queries.Count))
            throw new ArgumentException($"Every method needs one mask per query ({queries.Count}), and the regions too.", nameof(methods));
        var colour = tint ?? new Rgb24(255, 40, 200);
        int w = image.Width, h = image.Height;
        var rows = new List<QueryComparisonRow>();
        for (int q = 0; q < queries.Count; q++)
        {
            var region = regions?[q];
            bool present = region is not null && region.Contains(true);
            var maps = methods.Select(m => (m.Name, Map: new ScalarMap(m.Masks[q], w, h))).ToList();
            string numbers = present
                ? "IoU " + string.Join(", ", maps.Select(m => $"{m.Name} {F(m.Map.IoU(region!, threshold))}"))
                : $"{(region is null ? "" : "not in the scene; ")}area above {F(threshold)}: " + string.Join(", ", maps.Select(m => $"{m.Name} {m.Map.Area(threshold).ToString("P0", CultureInfo.InvariantCulture)}"));
            var panels = new List<Panel>();
            using (var first = present ? MaskOverlay.Region(image, region!, colour) : image.Clone())
                panels.Add(new Panel(MaskOverlay.Upscale(first, zoom), present ? "ground truth (tinted)" : "image"));
            foreach (var (name, map) in maps)
            {
                panels.Add(new Panel(MaskOverlay.Heatmap(map, w * zoom, h * zoom), $"{name}: score (0 dark, 1 yellow)"));
                using var tinted = MaskOverlay.Blend(image, map.Thresholded(threshold), colour);
                panels.Add(new Panel(MaskOverlay.Upscale(tinted, zoom), $"{name}: score above {F(threshold)}"));
            }
            var caption = $"\"{queries[q]}\": {numbers}";
            rows.Add(new QueryComparisonRow(queries[q], caption, new PanelGrid(panels, caption)));
        }
        return rows;
    }

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
}
