using Tcl.Tests.Support;
using System.Text.Json.Nodes;
using Plotly.NET;
using Tcl.Data;
using Tcl.Demo;
using Tcl.Notebooks;
using Tcl.Training;
using Xunit;

namespace Tcl.Tests.Notebooks;

/// <summary>
/// The live loss chart with a draw callback (no kernel): what it records, when it redraws, and the curves it reads
/// back from <c>metrics.jsonl</c> when a run was reused. (Display in a cell is covered by running notebook 02.)
/// </summary>
public sealed class LiveLossChartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-live-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TrainingProgress Step(long step, long total) => new(step, total, 2.0 / (step + 1),
        new Dictionary<string, double> { ["tcli_loss"] = 0.1 * step, ["area_loss"] = 0.05 }, 1e-3 * (step + 1), 1.0, 0.1, new DataCounters(), null);

    private static JsonObject Figure(GenericChart chart) => (JsonObject)JsonNode.Parse(GenericChart.toJson(chart))!;

    private static JsonObject Trace(JsonObject figure, string name) =>
        figure["data"]!.AsArray().Cast<JsonObject>().Single(t => (string?)t["name"] == name);

    [Fact]
    public void RedrawsEveryNStepsAndAtTheLastStepWithEveryTerm()
    {
        var drawn = new List<GenericChart>();
        var live = new LiveLossChart("TCL", every: 3, draw: drawn.Add);

        for (int i = 0; i < 10; i++) live.Report(Step(i, 10));

        Assert.Equal(4, drawn.Count);                                     // after steps 2, 5, 8 and the last, 9
        Assert.Equal(4, live.Redraws);
        var last = Figure(drawn[^1]);
        Assert.Equal(["loss", "tcli_loss", "area_loss"], last["data"]!.AsArray().Select(t => (string)t!["name"]!));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), Trace(last, "loss")["x"]!.AsArray().Select(v => (long)v!));
        Near.Abs(0.9, (double)Trace(last, "tcli_loss")["y"]![9]!, 1e-12);   // a double written to JSON and read back
        Assert.Contains("step 10 / 10", (string)last["layout"]!["title"]!["text"]!);
        Assert.Equal(3, Trace(Figure(drawn[0]), "loss")["x"]!.AsArray().Count);
        Assert.Equal(10, live.LearningRates.Count);
        Assert.Equal(9, live.LastStep);
    }

    [Fact]
    public void DemoProgressOfOtherStagesIsIgnoredAndSmoothingAverages()
    {
        var drawn = new List<GenericChart>();
        var live = new LiveLossChart("TCL", every: 100, smoothing: 2, draw: drawn.Add);
        live.Report(new DemoProgress(DemoStage.Clip, "clip", Training: Step(0, 2)));
        live.Report(new DemoProgress(DemoStage.Tcl, "tcl"));                          // a message, no step
        Assert.Empty(live.Series);

        live.Report(new DemoProgress(DemoStage.Tcl, "tcl", Training: Step(0, 2)));
        live.Report(new DemoProgress(DemoStage.Tcl, "tcl", Training: Step(1, 2)));

        var figure = Figure(Assert.Single(drawn));                                   // the last step only
        Assert.Equal([2.0, 1.5], Trace(figure, "loss")["y"]!.AsArray().Select(v => (double)v!));   // raw 2, 1 → trailing mean
        Assert.Equal([2.0, 1.0], live.Series["loss"].Select(p => p.Value));          // recorded raw
    }

    [Fact]
    public void FinishReadsTheMetricsLogWhenNothingWasReportedLive()
    {
        var path = Path.Combine(_dir, Trainer.MetricsFileName);
        using (var log = new MetricsLog(path, 0))
            for (int i = 0; i < 4; i++)
                log.Write(new JsonObject { ["step"] = i, ["lr"] = 0.5 * i, ["loss"] = 4.0 - i, ["terms"] = new JsonObject { ["tv_mask_loss"] = 0.25 } });
        var drawn = new List<GenericChart>();
        var live = new LiveLossChart("reused", draw: drawn.Add);

        var chart = live.Finish(path);

        Assert.Same(chart, Assert.Single(drawn));
        Assert.Equal([4.0, 3.0, 2.0, 1.0], live.Series["loss"].Select(p => p.Value));
        Assert.Equal([0.25, 0.25, 0.25, 0.25], live.Series["tv_mask_loss"].Select(p => p.Value));
        Assert.Equal([0.0, 0.5, 1.0, 1.5], live.LearningRates.Select(p => p.Value));
        Assert.Contains("step 4 / 4", (string)Figure(chart)["layout"]!["title"]!["text"]!);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LiveLossChart("x", every: 0));
    }

    [Fact]
    public void WithoutADrawCallbackItNeedsARunningCell()
    {
        var live = new LiveLossChart("no kernel", every: 1);
        Assert.Throws<InvalidOperationException>(() => live.Report(Step(0, 1)));
    }
}
