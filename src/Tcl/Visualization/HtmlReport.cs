using System.Net;
using System.Text;
using Plotly.NET;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.IO;

namespace Tcl.Visualization;

/// <summary>
/// A single self-contained HTML page — headings, prose, tables, pictures and interactive charts — that opens from disk
/// with no network: images are inlined as PNG data URIs and plotly.js (from the Plotly.NET package,
/// <see cref="PlotlyJs"/>) is inlined once in <c>&lt;head&gt;</c> when the page has a chart. Each chart is a
/// <c>&lt;div&gt;</c> plus one <c>Plotly.newPlot</c> call with the chart's own JSON. Text is HTML-escaped, so
/// captions and class names cannot break the page. Build it step by step, then <see cref="Save"/> or <see cref="ToHtml"/>.
/// </summary>
public sealed class HtmlReport
{
    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
               max-width: 960px; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }
        h1, h2, h3 { line-height: 1.2; }
        table { border-collapse: collapse; margin: 1em 0; }
        th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; }
        th { background: #f0f0f0; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        pre { background: #f6f6f6; border: 1px solid #ddd; padding: 0.8em; overflow-x: auto; }
        figure { margin: 1em 0; display: inline-block; vertical-align: top; max-width: 100%; }
        figure img { image-rendering: pixelated; display: block; max-width: 100%; }
        figcaption { font-size: 0.9em; color: #555; margin-top: 0.3em; }
        .figrow { display: grid; gap: 1em; align-items: start; margin: 1em 0; }
        @media (max-width: 720px) { .figrow { display: flex; flex-wrap: wrap; } }
        .figrow figure { margin: 0; }
        .chart { margin: 1em 0; }
        """;

    private readonly string _title;
    private readonly List<string> _body = [];
    private int _charts;

    /// <param name="title">The page title, also shown as its top heading.</param>
    public HtmlReport(string title)
    {
        _title = title ?? throw new ArgumentNullException(nameof(title));
    }

    /// <summary>Number of charts added so far (each becomes one <c>Plotly.newPlot</c> call).</summary>
    public int ChartCount => _charts;

    /// <summary>A heading; <paramref name="level"/> 1–6 (the page title is the only level 1 by convention).</summary>
    public HtmlReport AddHeading(string text, int level = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 6);
        _body.Add($"<h{level}>{Escape(text)}</h{level}>");
        return this;
    }

    /// <summary>A paragraph of plain text (escaped: markup in it is shown, not interpreted).</summary>
    public HtmlReport AddParagraph(string text)
    {
        _body.Add($"<p>{Escape(text)}</p>");
        return this;
    }

    /// <summary>Monospaced text kept as is (escaped): command lines, configs, logs.</summary>
    public HtmlReport AddPreformatted(string text)
    {
        _body.Add($"<pre>{Escape(text)}</pre>");
        return this;
    }

    /// <summary>A bordered table; cells that parse as numbers are right-aligned so columns of scores line up.</summary>
    public HtmlReport AddTable(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var html = new StringBuilder("<table>\n<thead><tr>");
        foreach (var h in header) html.Append("<th>").Append(Escape(h)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append(IsNumber(cell) ? "<td class=\"num\">" : "<td>").Append(Escape(cell)).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>");
        _body.Add(html.ToString());
        return this;
    }

    /// <summary>An interactive chart: a <c>&lt;div&gt;</c> and a <c>Plotly.newPlot</c> call with its data, layout and config.</summary>
    public HtmlReport AddChart(GenericChart chart)
    {
        var id = $"chart-{++_charts}";
        _body.Add($"<div id=\"{id}\" class=\"chart\"></div>\n<script>{ChartJson.Of(chart).NewPlotCall($"\"{id}\"")}</script>");
        return this;
    }

    /// <summary>A picture with a caption, inlined as a PNG data URI, shown at its own pixel size.</summary>
    public HtmlReport AddImage(Image<Rgb24> image, string caption)
    {
        _body.Add(Figure(image, caption));
        return this;
    }

    /// <summary>Content width of the page in CSS pixels (<c>max-width</c> minus the padding), what a row of figures may take.</summary>
    public const int ContentWidth = 928;

    /// <summary>
    /// Several captioned pictures side by side: input | prediction | ground truth. Rows are balanced
    /// (<see cref="Visualization.PanelGrid.BalancedColumns"/>): pictures that do not fit one row are spread evenly over the
    /// fewest rows, so no picture is left alone on the last one; narrow screens wrap freely.
    /// </summary>
    public HtmlReport AddFigureRow(IEnumerable<(Image<Rgb24> Image, string Caption)> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var list = figures.ToList();
        int widest = list.Count == 0 ? 1 : list.Max(f => f.Image.Width);
        int columns = Visualization.PanelGrid.BalancedColumns(list.Count, Visualization.PanelGrid.PerRow(widest, ContentWidth, 16));
        var html = new StringBuilder($"<div class=\"figrow\" style=\"grid-template-columns: repeat({columns}, max-content)\">\n");
        foreach (var (image, caption) in list) html.Append(Figure(image, caption)).Append('\n');
        _body.Add(html.Append("</div>").ToString());
        return this;
    }

    /// <summary>The whole page as one string (~3.7 MB with charts: plotly.js is most of it).</summary>
    public string ToHtml()
    {
        using var writer = new StringWriter();
        WriteTo(writer);
        return writer.ToString();
    }

    /// <summary>Streams the page to <paramref name="writer"/> without building it in memory first.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        writer.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        writer.Write($"<title>{Escape(_title)}</title>\n<style>\n{Style}\n</style>\n");
        if (_charts > 0)
        {
            PlotlyJs.WriteScriptElement(writer);
        }
        writer.Write($"</head>\n<body>\n<h1>{Escape(_title)}</h1>\n");
        foreach (var part in _body)
        {
            writer.Write(part);
            writer.Write('\n');
        }
        writer.Write("</body>\n</html>\n");
    }

    /// <summary>
    /// Writes the page (UTF-8) to <paramref name="path"/> atomically (<see cref="AtomicFile"/>): readers see the previous
    /// report or the new one, and a failure while writing leaves the previous one untouched and no partial file.
    /// </summary>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        WriteTo(writer);
    });

    private static string Figure(Image<Rgb24> image, string caption)
    {
        ArgumentNullException.ThrowIfNull(image);
        var alt = Escape(caption);
        return $"<figure style=\"width: {image.Width}px\"><img src=\"{MaskOverlay.ToPngDataUri(image)}\" width=\"{image.Width}\" height=\"{image.Height}\" " +
               $"alt=\"{alt}\"><figcaption>{alt}</figcaption></figure>";
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text ?? "");

    private static bool IsNumber(string cell) =>
        double.TryParse(cell.TrimEnd('%'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
}
