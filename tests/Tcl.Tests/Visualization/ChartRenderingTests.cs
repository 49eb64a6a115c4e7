using System.Text.RegularExpressions;
using Plotly.NET;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Notebooks;
using Tcl.Visualization;
using Xunit;

namespace Tcl.Tests.Visualization;

/// <summary>
/// Charts drawn by a real browser (headless Chromium, offline; .ci/install installs Debian's chromium): the notebook
/// output and the report page draw with and without an AMD loader on the page, and the static PNG shows the chart.
/// A page reports what it drew in <c>body[data-drawn]</c>: the number of plotly SVG layers. Without a browser the
/// tests are reported as skipped, saying how to install one — except under CI (<c>CI</c> set), where they fail.
/// </summary>
public sealed class ChartRenderingTests
{
    private static void NeedsBrowser() => Skip.If(HeadlessChromium.Find() is null && Environment.GetEnvironmentVariable("CI") is null,
        $"No headless Chromium: run .ci/install (Debian's chromium) or set {HeadlessChromium.Variable}.");

    /// <summary>What makes plotly.js's UMD header take its AMD branch: a global define with define.amd, as require.js has.</summary>
    private const string AmdLoader = "<script>window.define = function (deps, factory) { window.amdModule = factory; }; window.define.amd = {};</script>\n";

    private const string ReportDrawn = """
        <script>setTimeout(function () {
          document.body.setAttribute('data-drawn', document.querySelectorAll('.main-svg').length);
          document.body.setAttribute('data-plotly', typeof window.Plotly);
        }, 3000);</script>
        """;

    private static GenericChart Bars() => Charts.GroupedBars(["voc", "context"],
        new Dictionary<string, IReadOnlyList<double>> { ["TCL"] = [51.2, 30.3], ["MaskCLIP"] = [38.8, 23.6] }, "mIoU per benchmark", "mIoU (%)");

    private static string Page(string head, string body) =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\">{head}</head><body>{body}{ReportDrawn}</body></html>";

    private static (int Svgs, string Plotly) Drawn(string html)
    {
        var dom = HeadlessChromium.DumpDom(html);
        var drawn = Regex.Match(dom, "data-drawn=\"(\\d+)\"");
        var plotly = Regex.Match(dom, "data-plotly=\"(\\w+)\"");
        Assert.True(drawn.Success, "the page did not report: " + dom[..Math.Min(300, dom.Length)]);
        return (int.Parse(drawn.Groups[1].Value), plotly.Groups[1].Value);
    }

    [SkippableFact]
    public void The_plain_bundle_under_an_AMD_loader_leaves_charts_blank_which_is_the_bug_the_guard_fixes()
    {
        NeedsBrowser();
        var unguarded = $"<script>{PlotlyJs.Source}</script>";
        var chart = TclFormatters.ChartHtml(Bars(), inlinePlotlyJs: false);

        Assert.Equal((0, "undefined"), Drawn(Page(AmdLoader + unguarded, chart)));
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_notebook_chart_draws_with_and_without_an_AMD_loader(bool amd)
    {
        NeedsBrowser();
        var chart = TclFormatters.ChartHtml(Bars(), inlinePlotlyJs: true);

        var (svgs, plotly) = Drawn(Page(amd ? AmdLoader : "", chart));

        Assert.Equal("object", plotly);
        Assert.True(svgs > 0, $"no plotly SVG drawn (amd: {amd})");
    }

    [SkippableFact]
    public void The_report_page_draws_each_chart_under_an_AMD_loader()
    {
        NeedsBrowser();
        var html = new HtmlReport("report").AddChart(Bars()).AddChart(Bars()).ToHtml();
        html = html.Replace("<head>", "<head>" + AmdLoader, StringComparison.Ordinal)
            .Replace("</body>", ReportDrawn + "</body>", StringComparison.Ordinal);

        var (svgs, plotly) = Drawn(html);

        Assert.Equal("object", plotly);
        Assert.True(svgs >= 2, $"{svgs} plotly SVG layers for two charts");
    }

    [SkippableFact]
    public void The_static_png_shows_the_chart()
    {
        NeedsBrowser();
        using var png = Image.Load<Rgb24>(NotebookCharts.Png(Bars()));

        Assert.Equal((NotebookCharts.Width, NotebookCharts.Height), (png.Width, png.Height));
        // Plotly.NET's default template colours the two series #636efa (blue) and #ef553b (red-orange).
        int blue = 0, orange = 0;
        png.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
                foreach (var p in rows.GetRowSpan(y))
                {
                    if (Near(p, 0x63, 0x6e, 0xfa)) blue++;
                    if (Near(p, 0xef, 0x55, 0x3b)) orange++;
                }
        });
        Assert.True(blue > 2000 && orange > 2000, $"bars not drawn: {blue} blue, {orange} orange pixels");
    }

    private static bool Near(Rgb24 p, int r, int g, int b) => Math.Abs(p.R - r) + Math.Abs(p.G - g) + Math.Abs(p.B - b) < 30;
}
