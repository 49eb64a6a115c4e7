using System.Text.Json.Nodes;
using Plotly.NET;
using Tcl.Visualization;
using Xunit;

namespace Tcl.Tests.Visualization;

/// <summary>Training-log parsing into curves, smoothing, and the chart built from a log.</summary>
public class MetricsSeriesTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("tcl-metrics-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>Three steps in the trainer's line format; the second has no tv term, the third adds a checkpoint field.</summary>
    private string WriteLog()
    {
        var path = Path.Combine(_dir.FullName, "metrics.jsonl");
        File.WriteAllLines(path,
        [
            """{"step":1,"lr":0.001,"loss":3.0,"terms":{"tcli_loss":1.0,"tv_img_loss":0.5},"grad_norm":2.0,"seconds":0.1}""",
            """{"step":2,"lr":0.002,"loss":2.0,"terms":{"tcli_loss":0.75},"grad_norm":1.5,"seconds":0.1}""",
            "",
            """{"step":3,"lr":0.003,"loss":1.0,"terms":{"tcli_loss":0.5,"tv_img_loss":0.25},"grad_norm":1.0,"seconds":0.1,"checkpoint":"c.safetensors"}""",
        ]);
        return path;
    }

    [Fact]
    public void FromLogReadsLossAndEveryTerm()
    {
        var series = MetricsSeries.FromLog(WriteLog());
        Assert.Equal(["loss", "tcli_loss", "tv_img_loss"], series.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([(1L, 3.0), (2L, 2.0), (3L, 1.0)], series["loss"]);
        Assert.Equal([(1L, 1.0), (2L, 0.75), (3L, 0.5)], series["tcli_loss"]);
        Assert.Equal([(1L, 0.5), (3L, 0.25)], series["tv_img_loss"]);            // missing at step 2: skipped
    }

    [Fact]
    public void FieldReadsOneTopLevelNumber()
    {
        Assert.Equal([(1L, 0.001), (2L, 0.002), (3L, 0.003)], MetricsSeries.Field(WriteLog(), "lr"));
        Assert.Empty(MetricsSeries.Field(WriteLog(), "checkpoint"));               // not a number
    }

    [Fact]
    public void MovingAverageIsTrailing()
    {
        var smoothed = MetricsSeries.MovingAverage([(1, 3.0), (2, 1.0), (3, 2.0), (4, 6.0)], 2);
        Assert.Equal([(1L, 3.0), (2L, 2.0), (3L, 1.5), (4L, 4.0)], smoothed);
    }

    [Fact]
    public void LossCurvesFromMetricsPlotsTheSmoothedLog()
    {
        var chart = Charts.LossCurvesFromMetrics(WriteLog(), "Run A", smoothing: 2);
        var figure = (JsonObject)JsonNode.Parse(GenericChart.toJson(chart))!;
        var names = figure["data"]!.AsArray().Select(t => (string)t!["name"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["loss", "tcli_loss", "tv_img_loss"], names);
        var loss = figure["data"]!.AsArray().Single(t => (string?)t!["name"] == "loss")!;
        Assert.Equal([3.0, 2.5, 1.5], loss["y"]!.AsArray().Select(v => (double)v!));
        Assert.Contains("Run A", (string)figure["layout"]!["title"]!["text"]!);
    }
}
