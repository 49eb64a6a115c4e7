using System.Text.Json.Nodes;
using Plotly.NET;
using Tcl.Visualization;
using Xunit;

namespace Tcl.Tests.Visualization;

/// <summary>The charts' plotly.js JSON: series names, values, NaN as gaps, titles and axis settings.</summary>
public class ChartsTests
{
    private static JsonObject Figure(GenericChart chart) => (JsonObject)JsonNode.Parse(GenericChart.toJson(chart))!;

    private static JsonObject Trace(JsonObject figure, string name) =>
        figure["data"]!.AsArray().Cast<JsonObject>().Single(t => (string?)t["name"] == name);

    private static string Title(JsonNode? owner) => (string)owner!["title"]!["text"]!;

    [Fact]
    public void LossCurvesHaveOneLinePerSeriesWithStepsAndValues()
    {
        var series = new Dictionary<string, IReadOnlyList<(long Step, double Value)>>
        {
            ["loss"] = [(1, 2.5), (2, 2.0), (3, double.NaN)],
            ["tcli_loss"] = [(1, 0.75), (3, 0.5)],
        };
        var figure = Figure(Charts.LossCurves(series, "Training", logY: true));
        Assert.Equal(2, figure["data"]!.AsArray().Count);
        var loss = Trace(figure, "loss");
        Assert.Equal("scatter", (string?)loss["type"]);
        Assert.Equal("lines", (string?)loss["mode"]);
        Assert.Equal([1L, 2L, 3L], loss["x"]!.AsArray().Select(v => (long)v!));
        Assert.Equal(2.5, (double)loss["y"]![0]!);
        Assert.Null(loss["y"]![2]);                                            // NaN → gap
        Assert.Equal([0.75, 0.5], Trace(figure, "tcli_loss")["y"]!.AsArray().Select(v => (double)v!));
        Assert.Equal("Training", Title(figure["layout"]));
        Assert.Equal("step", Title(figure["layout"]!["xaxis"]));
        Assert.Equal("log", (string?)figure["layout"]!["yaxis"]!["type"]);
    }

    [Fact]
    public void GroupedBarsShowNaNAsGapsNotZero()
    {
        var chart = Charts.GroupedBars(["cat", "dog", "sky"], new Dictionary<string, IReadOnlyList<double>>
        {
            ["TCL"] = [55.5, double.NaN, 80],
            ["MaskCLIP"] = [30, 20.25, 60],
        }, "Per-class IoU", "IoU (%)");
        var json = GenericChart.toJson(chart);
        Assert.DoesNotContain("NaN", json);
        var figure = Figure(chart);
        var tcl = Trace(figure, "TCL");
        Assert.Equal("bar", (string?)tcl["type"]);
        Assert.Equal(["cat", "dog", "sky"], tcl["x"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(55.5, (double)tcl["y"]![0]!);
        Assert.Null(tcl["y"]![1]);
        Assert.Equal(20.25, (double)Trace(figure, "MaskCLIP")["y"]![1]!);
        Assert.Equal("group", (string?)figure["layout"]!["barmode"]);
        Assert.Equal("IoU (%)", Title(figure["layout"]!["yaxis"]));
        Assert.Equal("Per-class IoU", Title(figure["layout"]));
    }

    [Fact]
    public void GroupedBarsRejectSeriesOfTheWrongLength() =>
        Assert.Throws<ArgumentException>(() => Charts.GroupedBars(["a", "b"],
            new Dictionary<string, IReadOnlyList<double>> { ["x"] = [1.0] }, "t", "y"));

    [Fact]
    public void SweepDrawsLinesWithMarkersOverTheSweptValues()
    {
        var figure = Figure(Charts.Sweep([0.1, 0.2, 0.3], new Dictionary<string, IReadOnlyList<double>>
        {
            ["mIoU"] = [40, double.PositiveInfinity, 42.5],
        }, "Background threshold", "threshold", "mIoU (%)"));
        var trace = Trace(figure, "mIoU");
        Assert.Equal("lines+markers", (string?)trace["mode"]);
        Assert.Equal([0.1, 0.2, 0.3], trace["x"]!.AsArray().Select(v => (double)v!));
        Assert.Null(trace["y"]![1]);
        Assert.Equal(42.5, (double)trace["y"]![2]!);
        Assert.Equal("threshold", Title(figure["layout"]!["xaxis"]));
        Assert.Equal("mIoU (%)", Title(figure["layout"]!["yaxis"]));
    }

    [Fact]
    public void ChartJsonSplitsDataLayoutAndConfig()
    {
        var chart = Charts.Sweep([1.0], new Dictionary<string, IReadOnlyList<double>> { ["s"] = [2.0] }, "t", "x", "y");
        var json = ChartJson.Of(chart);
        Assert.Equal("s", (string?)JsonNode.Parse(json.Data)![0]!["name"]);
        Assert.Equal("t", (string?)JsonNode.Parse(json.Layout)!["title"]!["text"]);
        Assert.IsType<JsonObject>(JsonNode.Parse(json.Config));
    }

    [Fact]
    public void LongTitlesAreBrokenIntoLinesAndTheTopMarginMakesRoomForThem()
    {
        const string title = "synthetic_stuff: stuff words like PASCAL Context's stuff classes, a long description (without background)";
        var layout = Figure(Charts.GroupedBars(["sky"], new Dictionary<string, IReadOnlyList<double>> { ["TCL"] = [1.0] }, title, "IoU (%)"))["layout"]!;
        var text = Title(layout);
        var lines = text.Split("<br>");
        Assert.True(lines.Length >= 2);
        Assert.Equal("synthetic_stuff:", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.True(System.Text.RegularExpressions.Regex.Replace(l, "<[^>]+>", "").Length <= 96, l));
        Assert.Equal(2, lines.Length);                                             // the rest fits one line in the smaller font
        Assert.Equal(title.Replace(": ", ":").Replace(" ", ""), System.Text.RegularExpressions.Regex.Replace(text, "<[^>]+>", "").Replace(" ", ""));
        Assert.Equal(40 + 20 * lines.Length, (int)layout["margin"]!["t"]!);
        Assert.Equal("container", (string?)layout["title"]!["yref"]);

        var shortLayout = Figure(Charts.GroupedBars(["sky"], new Dictionary<string, IReadOnlyList<double>> { ["TCL"] = [1.0] }, "mIoU", "IoU (%)"))["layout"]!;
        Assert.Equal("mIoU", Title(shortLayout));
        Assert.Equal(60, (int)shortLayout["margin"]!["t"]!);
    }
}
