using System.Globalization;
using System.Text.Json;
using Tcl.Clip.Weights;
using Tcl.Demo;
using Tcl.Training;
using Tcl.Tests.Data;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Demo;

/// <summary>
/// Runs <c>tcl demo --quick</c> once through the command line and once through the library, for every test of the
/// collection; <see cref="Reuse"/> (on first use) reuses a copy of the second run.
/// </summary>
public sealed class QuickDemoRuns : IDisposable
{
    private readonly TempDir _first = new(), _again = new();
    private readonly Lazy<QuickReuseRuns> _reuse;

    public QuickDemoRuns()
    {
        (Exit, Output, Error) = CliRunner.Run("demo", "--quick", "--output", First);
        Second = new DemoPipeline(DemoProfile.Quick, Again).Run();
        _reuse = new Lazy<QuickReuseRuns>(() => new QuickReuseRuns(Again));
    }

    /// <summary>Reuse of the library run's stages and the ablation study on top of it.</summary>
    public QuickReuseRuns Reuse => _reuse.Value;

    /// <summary>Output folder of the command-line run.</summary>
    public string First => _first.Path;

    /// <summary>Output folder of the library run.</summary>
    public string Again => _again.Path;
    public int Exit { get; }
    public string Output { get; }
    public string Error { get; }
    public DemoResult Second { get; }

    public void Dispose()
    {
        if (_reuse.IsValueCreated) _reuse.Value.Dispose();
        _first.Dispose();
        _again.Dispose();
    }
}

/// <summary>
/// Runs alone: model initialisation draws from torch's process-wide generator after <c>manual_seed</c>, so a test of
/// another class running in parallel would change the weights between the two runs and break the same-seed check.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialDemoCollection : ICollectionFixture<QuickDemoRuns>
{
    public const string Name = "demo end to end (not parallel)";
}

/// <summary>The end-to-end test of the embedded default's quick profile: every stage runs and the report is complete.</summary>
[Collection(SerialDemoCollection.Name)]
public class DemoQuickProfileTests(QuickDemoRuns runs)
{
    private string Report => Path.Combine(runs.First, "report");

    [Fact]
    public void The_command_succeeds_and_prints_the_results_table()
    {
        Assert.True(runs.Exit == 0, runs.Error + runs.Output);
        Assert.Contains("benchmark", runs.Output);
        foreach (var key in new[] { "synthetic_objects", "synthetic_stuff", "synthetic_colours", "synthetic_heldout", "synthetic_names" })
            Assert.Contains(key, runs.Output);
        Assert.Contains("report.html", runs.Output);
        Assert.Contains("CLIP zero-shot on the test scenes: shape", runs.Output);
    }

    [Fact]
    public void Results_tables_have_every_benchmark_and_method()
    {
        var lines = File.ReadAllLines(Path.Combine(Report, "results.csv"));
        Assert.Equal("benchmark,classes,images,protocol,tcl_miou,maskclip_miou,delta", lines[0]);
        Assert.Equal(6, lines.Length);
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            Assert.Equal(DemoProfile.Quick.EvalScenes, int.Parse(f[2], CultureInfo.InvariantCulture));
            Assert.Equal("synthetic@v1", f[3]);
            Assert.InRange(double.Parse(f[4], CultureInfo.InvariantCulture), 0, 100);
            Assert.InRange(double.Parse(f[5], CultureInfo.InvariantCulture), 0, 100);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Report, "results.json")));
        var benchmarks = json.RootElement.GetProperty("benchmarks");
        Assert.Equal(5, benchmarks.GetArrayLength());
        Assert.Equal(12, benchmarks[0].GetProperty("per_class").GetArrayLength());
        foreach (var stage in new[] { "world", "clip", "tcl", "evaluate" })
            Assert.True(json.RootElement.GetProperty("stage_seconds").GetProperty(stage).GetDouble() >= 0);
        var probe = json.RootElement.GetProperty("clip_zero_shot");
        Assert.Equal(["shape", "colour", "stuff"], probe.EnumerateArray().Select(p => p.GetProperty("attribute").GetString()!).ToArray());
        Assert.All(probe.EnumerateArray(), p => Assert.InRange(p.GetProperty("accuracy").GetDouble(), 0, 100));
        var perClass = File.ReadAllLines(Path.Combine(Report, "per_class.csv"));
        Assert.Equal(1 + 12 + 16 + 8 + 4 + 4, perClass.Length);
    }

    [Fact]
    public void Both_trainings_reduced_their_loss()
    {
        foreach (var run in new[] { "clip", "tcl" })
        {
            var losses = MetricsLog.Read(Path.Combine(runs.First, run, Trainer.MetricsFileName)).Select(e => e["loss"]!.GetValue<double>()).ToList();
            int n = Math.Max(3, losses.Count / 5);
            Assert.True(losses.TakeLast(n).Average() < losses.Take(n).Average(),
                $"{run}: first {n} steps {losses.Take(n).Average():F4}, last {n} {losses.TakeLast(n).Average():F4}");
        }
    }

    [Fact]
    public void The_exported_clip_and_the_tcl_checkpoint_load_as_real_weights()
    {
        var (vision, text) = Tcl.Clip.ClipPresets.SyntheticSmallHeads;
        var checkpoint = ClipWeights.Read(Path.Combine(runs.First, "clip", "clip.safetensors"), vision, text);
        Assert.Equal(Tcl.Clip.ClipPresets.SyntheticSmall, checkpoint.Config);
        Assert.NotNull(TrainingCheckpoint.Latest(Path.Combine(runs.First, "tcl")));
    }

    [Fact]
    public void The_html_report_is_self_contained_with_charts_and_overlays()
    {
        var html = File.ReadAllText(Path.Combine(Report, DemoReport.HtmlFileName));
        int charts = html.Split("Plotly.newPlot(\"chart-").Length - 1;
        Assert.Equal(1 + 2 + 5, charts);                            // mIoU per benchmark, two loss curves, per-class IoU × 5
        Assert.DoesNotContain("src=\"http", html);
        Assert.Contains("data:image/png;base64,", html);
        Assert.Contains("something purple", html);                  // a free-form query
        var overlays = Directory.GetFiles(Path.Combine(Report, "overlays"), "*.png");
        Assert.Equal(2 * DemoProfile.Quick.OverlayScenes, overlays.Length);
    }

    [Fact]
    public void Rerunning_with_the_same_seed_gives_the_same_numbers()
    {
        Assert.Equal(File.ReadAllText(Path.Combine(Report, "results.csv")), File.ReadAllText(Path.Combine(runs.Again, "report", "results.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(Report, "per_class.csv")), File.ReadAllText(Path.Combine(runs.Again, "report", "per_class.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(runs.First, "clip", "clip.safetensors")), File.ReadAllBytes(Path.Combine(runs.Again, "clip", "clip.safetensors")));
    }
}
