using System.Net;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Tcl.Visualization;

/// <summary>One picture of a <see cref="PanelGrid"/> and the caption under it.</summary>
/// <param name="Image">The picture, shown at its own pixel size (enlarge it first with <see cref="MaskOverlay.Upscale"/>).</param>
/// <param name="Caption">What the picture shows: "ground truth", "TCL: soft mask", "τ = 0.4".</param>
public sealed record Panel(Image<Rgb24> Image, string Caption);

/// <summary>
/// Several captioned pictures laid out in a grid, for reading side by side — what a multi-panel image would show, but
/// with a caption under every panel (ImageSharp cannot draw text). <see cref="ToHtml"/> gives self-contained HTML
/// (<c>&lt;figure&gt;</c>s with PNG data URIs, pixelated scaling, inline styles) that a notebook shows as it is and a
/// report can embed. Rows are balanced: 5 panels that fit 4 to a row are laid out 3 + 2, never 4 + 1. The figure owns
/// its pictures: <see cref="Dispose"/> disposes them.
/// </summary>
/// <param name="Panels">The pictures, in reading order.</param>
/// <param name="Title">A line above the grid (the query, the scene), or null.</param>
/// <param name="Columns">Panels per row; 0 chooses the fewest balanced rows that fit <see cref="MaxWidth"/>.</param>
public sealed record PanelGrid(IReadOnlyList<Panel> Panels, string? Title = null, int Columns = 0) : IDisposable
{
    /// <summary>The width a grid may take, in CSS pixels (a notebook cell, the report's content column).</summary>
    public const int MaxWidth = 920;

    /// <summary>Space between panels, in CSS pixels.</summary>
    public const int Gap = 8;

    /// <summary>A figure from pictures and their captions, in order.</summary>
    public static PanelGrid Of(params (Image<Rgb24> Image, string Caption)[] panels) =>
        new(panels.Select(p => new Panel(p.Image, p.Caption)).ToList());

    /// <summary>A figure from pictures and their captions (equal counts), with an optional title.</summary>
    public static PanelGrid Of(IReadOnlyList<Image<Rgb24>> images, IReadOnlyList<string> captions, string? title = null, int columns = 0)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(captions);
        if (images.Count != captions.Count)
            throw new ArgumentException($"{images.Count} images for {captions.Count} captions.", nameof(captions));
        return new PanelGrid(images.Zip(captions, (i, c) => new Panel(i, c)).ToList(), title, columns);
    }

    /// <summary>
    /// Panels per row: the fewest rows that fit <paramref name="maxPerRow"/> panels each, then as few columns as those
    /// rows need, so the last row is never much shorter than the others (7 at 6 a row → 4 + 3).
    /// </summary>
    public static int BalancedColumns(int count, int maxPerRow)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        maxPerRow = Math.Max(1, maxPerRow);
        if (count == 0) return 1;
        int rows = (count + maxPerRow - 1) / maxPerRow;
        return (count + rows - 1) / rows;
    }

    /// <summary>How many panels of <paramref name="panelWidth"/> pixels fit in <paramref name="maxWidth"/> with <paramref name="gap"/> between them.</summary>
    public static int PerRow(int panelWidth, int maxWidth = MaxWidth, int gap = Gap) =>
        Math.Max(1, (maxWidth + gap) / (Math.Max(1, panelWidth) + gap));

    /// <summary>The panels per row this figure uses (<see cref="Columns"/>, or balanced to fit <see cref="MaxWidth"/>).</summary>
    public int ColumnCount => Columns > 0
        ? Columns
        : BalancedColumns(Panels.Count, PerRow(Panels.Count == 0 ? 1 : Panels.Max(p => p.Image.Width)));

    /// <summary>The grid as HTML: an optional title, then one <c>&lt;figure&gt;</c> per panel with its caption.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder("<div class=\"tcl-figure\">");
        if (Title is not null)
            html.Append("<div style=\"margin: 0.4em 0\">").Append(WebUtility.HtmlEncode(Title)).Append("</div>");
        html.Append($"<div style=\"display: grid; grid-template-columns: repeat({ColumnCount}, max-content); gap: {Gap}px; align-items: start\">");
        foreach (var panel in Panels) html.Append(FigureHtml(panel));
        return html.Append("</div></div>").ToString();
    }

    /// <summary>One captioned picture: <c>&lt;figure&gt;&lt;img …&gt;&lt;figcaption&gt;…&lt;/figcaption&gt;&lt;/figure&gt;</c>.</summary>
    public static string FigureHtml(Panel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var caption = WebUtility.HtmlEncode(panel.Caption ?? "");
        var image = panel.Image;
        return $"<figure style=\"margin: 0; width: {image.Width}px\"><img src=\"{MaskOverlay.ToPngDataUri(image)}\" " +
               $"width=\"{image.Width}\" height=\"{image.Height}\" alt=\"{caption}\" style=\"image-rendering: pixelated; display: block\">" +
               $"<figcaption style=\"font-size: 0.85em; line-height: 1.3; margin-top: 0.2em\">{caption}</figcaption></figure>";
    }

    /// <summary>Disposes every panel's picture.</summary>
    public void Dispose()
    {
        foreach (var panel in Panels) panel.Image.Dispose();
    }
}
