using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Demo;
using Tcl.Evaluation.Metrics;
using Tcl.Visualization;
using static TorchSharp.torch;

namespace Tcl.Notebooks;

/// <summary>
/// Notebook display of the toolkit's types, registered with .NET Interactive's <see cref="Formatter"/> (by the package's
/// kernel extension, <see cref="NotebookSetup"/>): <c>Image&lt;Rgb24&gt;</c> as an inline PNG <c>&lt;img&gt;</c>; a
/// <see cref="Tensor"/> as its shape, dtype and first values (never the whole tensor); <see cref="SegmentationScores"/>
/// and lists of <see cref="DemoResultRow"/> as HTML tables; a Plotly.NET <see cref="GenericChart"/> as a
/// <c>&lt;div&gt;</c> drawn by plotly.js, in the mode <see cref="NotebookCharts"/> selects. Interactive: plotly.js
/// (~3.6 MB, guarded for AMD loaders) is inlined in the first chart after <see cref="Register"/> only; later charts
/// wait for <c>window.Plotly</c> (viewers that show all outputs of a notebook in one page — Jupyter, VS Code, nbviewer,
/// nbconvert's HTML — draw them all). Static: a PNG output first, then the chart without plotly.js.
/// </summary>
public static class TclFormatters
{
    private const string Html = "text/html";
    private const string Plain = "text/plain";
    private static int _plotlyInlined;
    private static int _chartCounter;

    /// <summary>How many tensor values the text display shows.</summary>
    public static int TensorPreviewValues { get; set; } = 8;

    /// <summary>Registers every formatter (idempotent; resets the "plotly.js already inlined" flag).</summary>
    public static void Register()
    {
        Interlocked.Exchange(ref _plotlyInlined, 0);

        Formatter.Register<Image<Rgb24>>((image, writer) => writer.Write(ImageHtml(image)), Html);
        Formatter.SetPreferredMimeTypesFor(typeof(Image<Rgb24>), Html);

        Formatter.Register<Tensor>((t, writer) => writer.Write(TensorText(t)), Plain);
        Formatter.Register<Tensor>((t, writer) => writer.Write($"<pre>{WebUtility.HtmlEncode(TensorText(t))}</pre>"), Html);
        Formatter.SetPreferredMimeTypesFor(typeof(Tensor), Plain);

        Formatter.Register<SegmentationScores>((s, writer) => writer.Write(ScoresHtml(s)), Html);
        Formatter.SetPreferredMimeTypesFor(typeof(SegmentationScores), Html);

        Formatter.Register<IEnumerable<DemoResultRow>>((rows, writer) => writer.Write(DemoRowsHtml(rows)), Html);
        Formatter.Register<DemoResultRow>((row, writer) => writer.Write(DemoRowsHtml([row])), Html);

        Formatter.Register<DataFrame>((frame, writer) => writer.Write(DataFrameHtml(frame)), Html);
        Formatter.SetPreferredMimeTypesFor(typeof(DataFrame), Html);

        Formatter.Register<GenericChart>((chart, writer) =>
        {
            if (!NotebookCharts.Static)
            {
                writer.Write(ChartHtml(chart));
                return;
            }
            // The PNG is its own output before the chart's, so viewers that pick one mime type per output show it too.
            if (KernelInvocationContext.Current is { } context)
            {
                var png = Convert.ToBase64String(NotebookCharts.Png(chart));
                context.Publish(new DisplayedValueProduced(png, context.Command, [new FormattedValue("image/png", png)]));
            }
            writer.Write(ChartHtml(chart, inlinePlotlyJs: false));
        }, Html);
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), Html);

        RecordTables.Register();
        Formatter.Register<PanelGrid>((figure, writer) => writer.Write(figure.ToHtml()), Html);
        Formatter.SetPreferredMimeTypesFor(typeof(PanelGrid), Html);
    }

    /// <summary>An <c>&lt;img&gt;</c> with the image as a PNG data URI.</summary>
    public static string ImageHtml(Image<Rgb24> image)
    {
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return $"<img src=\"data:image/png;base64,{Convert.ToBase64String(png.ToArray())}\" width=\"{image.Width}\" height=\"{image.Height}\" style=\"image-rendering: pixelated\" />";
    }

    /// <summary>e.g. <c>Tensor [2, 3] Float32 cpu: [0.1, 0.2, …] (6 values)</c>.</summary>
    public static string TensorText(Tensor tensor)
    {
        var head = $"Tensor [{string.Join(", ", tensor.shape)}] {tensor.dtype} {tensor.device}";
        if (tensor.IsInvalid) return head + " (disposed)";
        var n = tensor.numel();
        var k = (int)Math.Min(n, TensorPreviewValues);
        if (k == 0) return head + ": []";
        try
        {
            using var scope = NewDisposeScope();
            var values = tensor.detach().flatten().slice(0, 0, k, 1).to(CPU).to_type(ScalarType.Float64).data<double>().ToArray();
            var shown = string.Join(", ", values.Select(v => v.ToString("G5", CultureInfo.InvariantCulture)));
            return $"{head}: [{shown}{(n > k ? ", …" : "")}] ({n} values)";
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or InvalidOperationException or ExternalException)
        {
            return head;
        }
    }

    /// <summary>Per-class IoU and accuracy, then the means, as an HTML table (percentages as reported).</summary>
    public static string ScoresHtml(SegmentationScores scores)
    {
        var html = new StringBuilder("<table><thead><tr><th>class</th><th>IoU</th><th>Acc</th></tr></thead><tbody>");
        for (var c = 0; c < scores.NumClasses; c++)
            html.Append($"<tr><td>{WebUtility.HtmlEncode(scores.ClassNames[c])}</td><td>{Pct(scores.IoU[c])}</td><td>{Pct(scores.Acc[c])}</td></tr>");
        html.Append($"<tr><th>mean</th><th>{Pct(scores.MeanIoU)}</th><th>{Pct(scores.MeanAcc)}</th></tr></tbody></table>");
        html.Append($"<p>aAcc {Pct(scores.AAcc)} · {scores.ImageCount} images</p>");
        return html.ToString();
    }

    /// <summary>The demo's summary rows (benchmark × method mIoU) as an HTML table.</summary>
    public static string DemoRowsHtml(IEnumerable<DemoResultRow> rows)
    {
        var html = new StringBuilder("<table><thead><tr><th>benchmark</th><th>description</th><th>classes</th><th>images</th>"
            + "<th>TCL</th><th>MaskCLIP</th><th>Δ</th></tr></thead><tbody>");
        foreach (var r in rows)
            html.Append($"<tr><td>{WebUtility.HtmlEncode(r.Benchmark)}</td><td>{WebUtility.HtmlEncode(r.Description)}</td>"
                + $"<td>{r.Classes}</td><td>{r.Images}</td><td>{Num(r.Tcl)}</td><td>{Num(r.MaskClip)}</td><td>{Num(r.Delta)}</td></tr>");
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>How many rows of a <see cref="DataFrame"/> the HTML table shows.</summary>
    public static int DataFrameRows { get; set; } = 100;

    /// <summary>A <see cref="DataFrame"/> as an HTML table (numbers with up to 2 decimals, missing values as –; at most <see cref="DataFrameRows"/> rows).</summary>
    public static string DataFrameHtml(DataFrame frame)
    {
        var html = new StringBuilder("<table><thead><tr>");
        foreach (var column in frame.Columns) html.Append($"<th>{WebUtility.HtmlEncode(column.Name)}</th>");
        html.Append("</tr></thead><tbody>");
        long shown = Math.Min(frame.Rows.Count, DataFrameRows);
        for (long r = 0; r < shown; r++)
        {
            html.Append("<tr>");
            foreach (var column in frame.Columns) html.Append($"<td>{WebUtility.HtmlEncode(Cell(column[r]))}</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (frame.Rows.Count > shown) html.Append($"<p>{shown} of {frame.Rows.Count} rows</p>");
        return html.ToString();
    }

    private static string Cell(object? value) => value switch
    {
        null => "–",
        double d => double.IsNaN(d) ? "–" : Math.Round(d, 2).ToString(CultureInfo.InvariantCulture),
        float f => float.IsNaN(f) ? "–" : Math.Round(f, 2).ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// A chart as a <c>&lt;div&gt;</c> and a <c>Plotly.newPlot</c> call with the chart's JSON; plotly.js is inlined in
    /// the first chart after <see cref="Register"/> (or always, with <paramref name="inlinePlotlyJs"/>).
    /// </summary>
    public static string ChartHtml(GenericChart chart, bool? inlinePlotlyJs = null)
    {
        var json = ChartJson.Of(chart);
        var inline = inlinePlotlyJs ?? Interlocked.Exchange(ref _plotlyInlined, 1) == 0;
        var id = $"tcl-chart-{Environment.ProcessId}-{Interlocked.Increment(ref _chartCounter)}";
        var html = new StringBuilder();
        if (inline)
            html.Append(PlotlyJs.ScriptElement);
        html.Append($"<div id=\"{id}\"></div>\n<script type=\"text/javascript\">\n(function draw() {{\n")
            .Append("  if (!window.Plotly) { setTimeout(draw, 50); return; }\n")
            .Append($"  {json.NewPlotCall($"document.getElementById(\"{id}\")")}\n")
            .Append("})();\n</script>");
        return html.ToString();
    }

    private static string Pct(double v) => double.IsNaN(v) ? "–" : (100 * v).ToString("F2", CultureInfo.InvariantCulture);

    private static string Num(double v) => double.IsNaN(v) ? "–" : v.ToString("F2", CultureInfo.InvariantCulture);
}
