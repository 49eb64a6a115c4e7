using System.Text.Json;
using Tcl.Tests.Evaluation;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Cli;

/// <summary>
/// <c>tcl evaluate</c> end to end on a tiny VOC with the fixtures' tiny CLIP + TCL weights and a protocol file:
/// per-class tables and the summary with the average, saved predictions re-scored with <c>--predictions</c>, and the
/// errors for a missing dataset (naming the path and the manifest) and an unknown benchmark.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class EvaluateCommandTests : IDisposable
{
    private readonly TinyVocData _data = new();

    public void Dispose() => _data.Dispose();

    private string Protocol()
    {
        var path = Path.Combine(_data.Root, "tiny-protocol.json");
        File.WriteAllText(path, """
            { "name": "tiny", "version": 1, "short_side": 64, "long_side_max": 256, "crop_size": 64, "stride": 32,
              "pamr": true, "pamr_iterations": 10, "pamr_dilations": [1, 2, 4, 8, 12, 24],
              "kp_weight": 0.3, "background_threshold": 0.4, "templates": "custom" }
            """);
        return path;
    }

    private string[] ModelArgs()
    {
        var dims = WeightFixtures.SharedClip().Dims;
        return ["--clip", Fixtures.Path("clip_weights.safetensors"), "--tcl", Fixtures.Path("tcl_weights.safetensors"),
            "--vision-heads", dims["vision_heads"].ToString(), "--text-heads", dims["transformer_heads"].ToString()];
    }

    [Fact]
    public void WritesTablesSummaryAndRescoresSavedPredictions()
    {
        var output = Path.Combine(_data.Root, "out");
        var (exit, stdout, stderr) = CliRunner.Run([.. ModelArgs().Prepend("evaluate"), "--dataset", "voc", "voc20",
            "--data-root", _data.Root, "--protocol", Protocol(), "--out", output, "--save-predictions"]);
        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.True(File.Exists(Path.Combine(output, "voc.tcl.tiny-v1.csv")), stdout);
        Assert.True(File.Exists(Path.Combine(output, "voc20.tcl.tiny-v1.json")), stdout);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        var miou = summary.RootElement.GetProperty("benchmarks").EnumerateArray().Select(b => b.GetProperty("miou").GetDouble()).ToList();
        Assert.Equal(2, miou.Count);
        // The average is reported with two decimals: within half a step of the exact mean, and on the 0.01 grid.
        double averageMiou = summary.RootElement.GetProperty("average_miou").GetDouble();
        Near.Abs(miou.Average(), averageMiou, 0.005 + 1e-9, "average mIoU");
        Near.Abs(Math.Round(100 * averageMiou), 100 * averageMiou, 1e-9, "average mIoU on the 0.01 grid");
        Assert.Equal("tiny@v1", summary.RootElement.GetProperty("protocol").GetString());

        var rescored = Path.Combine(_data.Root, "rescored");
        (exit, stdout, stderr) = CliRunner.Run("evaluate", "--predictions", Path.Combine(output, "predictions", "voc"), "--dataset", "voc",
            "--data-root", _data.Root, "--out", rescored);
        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Equal(File.ReadAllText(Path.Combine(output, "voc.tcl.tiny-v1.csv")),
            File.ReadAllText(Path.Combine(rescored, "voc.predictions.external.csv")));
    }

    [Fact]
    public void MissingDatasetNamesThePathAndTheManifest()
    {
        var (exit, _, stderr) = CliRunner.Run([.. ModelArgs().Prepend("evaluate"), "--dataset", "ade20k", "--data-root", _data.Root]);
        Assert.Equal(1, exit);
        Assert.Contains("ADEChallengeData2016", stderr);
        Assert.Contains("data-manifests/ade20k.json", stderr);
    }

    [Fact]
    public void UnknownBenchmarkListsTheKnownOnes()
    {
        var (exit, _, stderr) = CliRunner.Run("evaluate", "--dataset", "imagenet", "--data-root", _data.Root);
        Assert.Equal(1, exit);
        Assert.Contains("imagenet", stderr);
        Assert.Contains("cityscapes", stderr);
    }
}
