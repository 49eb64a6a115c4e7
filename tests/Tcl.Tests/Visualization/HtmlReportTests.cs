using System.Text.RegularExpressions;
using Microsoft.FSharp.Core;
using Plotly.NET;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Visualization;
using Xunit;

namespace Tcl.Tests.Visualization;

/// <summary>The report page: self-contained (plotly.js once, no network address), one newPlot per chart, escaping, atomic save.</summary>
public class HtmlReportTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tcl-report-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>The first line of the plotly.js bundle's banner: appears once per inlined copy.</summary>
    private static string Banner => $"* plotly.js v{PlotlyJs.Version}";

    private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;

    private static GenericChart Bars(string title = "mIoU") => Charts.GroupedBars(["voc", "context"],
        new Dictionary<string, IReadOnlyList<double>> { ["TCL"] = [51.2, double.NaN], ["MaskCLIP"] = [38.8, 23.6] }, title, "mIoU (%)");

    private static HtmlReport Sample()
    {
        using var image = new Image<Rgb24>(8, 8, new Rgb24(10, 20, 30));
        return new HtmlReport("TCL demo")
            .AddHeading("Results")
            .AddParagraph("Two benchmarks.")
            .AddTable(["benchmark", "mIoU"], [["voc", "51.2"], ["context", "n/a"]])
            .AddChart(Bars())
            .AddChart(Charts.Sweep([0.1, 0.2], new Dictionary<string, IReadOnlyList<double>> { ["mIoU"] = [40, 41] }, "Sweep", "t", "mIoU"))
            .AddImage(image, "an image")
            .AddFigureRow([(image, "input"), (image, "prediction")])
            .AddPreformatted("tcl demo --profile small");
    }

    [Fact]
    public void PlotlyJsIsInlinedExactlyOnceInTheHead()
    {
        var html = Sample().ToHtml();
        Assert.Equal(1, Count(html, Banner));
        Assert.True(html.IndexOf(Banner, StringComparison.Ordinal) < html.IndexOf("</head>", StringComparison.Ordinal));
        Assert.Contains(PlotlyJs.Source, html);
        Assert.True(PlotlyJs.Source.Length > 3_000_000);
    }

    [Fact]
    public void InlinedPlotlyJsIsTheOnePlotlyNetEmbedsForFullReference()
    {
        var chart = GenericChart.setDisplayOptions(
            DisplayOptions.init(null, null, null, null, null, null, FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.Full)), Bars());
        var embedded = GenericChart.toEmbeddedHTML(chart);
        // Identical except the geo-map topojson default, which PlotlyJs points away from the CDN.
        Assert.Contains(PlotlyJs.Source.Replace("dflt:\"./\"", "dflt:\"https://cdn.plot.ly/\""), embedded);
    }

    [Fact]
    public void PageHasNoNetworkReference()
    {
        var html = Sample().ToHtml();
        Assert.DoesNotMatch(new Regex(@"src\s*=\s*[""']?\s*(https?:|//)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"<script[^>]*\ssrc\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"<link[^>]*href", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("cdn", html, StringComparison.OrdinalIgnoreCase);
        // Outside the plotly.js bundle (whose doc strings mention web pages) there is no web address at all.
        var ours = html.Replace(PlotlyJs.Source, "");
        Assert.DoesNotContain("http://", ours);
        Assert.DoesNotContain("https://", ours);
    }

    [Fact]
    public void OneNewPlotPerChartWithItsOwnDiv()
    {
        var report = Sample();
        var body = report.ToHtml().Split("</head>")[1];
        Assert.Equal(2, report.ChartCount);
        Assert.Equal(2, Count(body, "Plotly.newPlot("));
        Assert.Contains("<div id=\"chart-1\"", body);
        Assert.Contains("Plotly.newPlot(\"chart-2\", [", body);
        Assert.Contains("\"MaskCLIP\"", body);
        Assert.Contains("[51.2,null]", body);                                 // NaN is a gap in the page too
    }

    [Fact]
    public void PageWithoutChartsCarriesNoPlotlyJs()
    {
        var html = new HtmlReport("t").AddParagraph("text only").ToHtml();
        Assert.Equal(0, Count(html, Banner));
        Assert.True(html.Length < 10_000);
    }

    [Fact]
    public void TextIsEscapedAndChartJsonCannotCloseItsScript()
    {
        var html = new HtmlReport("a <b> title")
            .AddParagraph("<script>alert(1)</script> & more")
            .AddTable(["<th>"], [["<td>"]])
            .AddChart(Bars("</script><script>alert(2)</script>"))
            .ToHtml();
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("<title>a &lt;b&gt; title</title>", html);
        Assert.Contains("&lt;td&gt;", html);
        var body = html.Split("</head>")[1];
        Assert.Equal(1, Count(body, "</script>"));                              // only the chart's own closing tag
        Assert.Contains("alert(2)", body);                                      // the title is there, as inert JSON text
    }

    [Fact]
    public void ImagesAreInlinedAsPngDataUris()
    {
        using var image = new Image<Rgb24>(3, 2, new Rgb24(1, 2, 3));
        var html = new HtmlReport("t").AddImage(image, "a <caption>").ToHtml();
        var uri = Regex.Match(html, "src=\"(data:image/png;base64,[^\"]+)\"").Groups[1].Value;
        using var decoded = Image.Load<Rgb24>(Convert.FromBase64String(uri["data:image/png;base64,".Length..]));
        Assert.Equal(new Rgb24(1, 2, 3), decoded[2, 1]);
        Assert.Contains("<figcaption>a &lt;caption&gt;</figcaption>", html);
    }

    [Fact]
    public void SaveWritesThePageAndReplacesAnOldOneWhole()
    {
        var path = Path.Combine(_dir.FullName, "out", "report.html");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, new string('x', 5_000_000));                      // an older, longer file
        var report = Sample();
        report.Save(path);
        Assert.Equal(report.ToHtml(), File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));  // no temporary left
    }

    [Fact]
    public void FailedSaveLeavesNoPartialFileAndTheTargetIntact()
    {
        // The target is a folder holding an earlier report: the final rename fails after the page was written.
        var target = Path.Combine(_dir.FullName, "report.html");
        Directory.CreateDirectory(target);
        var inside = Path.Combine(target, "keep.txt");
        File.WriteAllText(inside, "old");
        Assert.ThrowsAny<IOException>(() => Sample().Save(target));
        Assert.Equal([target], Directory.GetFileSystemEntries(_dir.FullName));    // no temporary left beside it
        Assert.Equal("old", File.ReadAllText(inside));
    }
}
