using System.Globalization;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Cli;

/// <summary><c>tcl inspect-weights</c> prints format, architecture and counts, and fails with exit code 1 and the
/// importer's message on a file that is not a checkpoint.</summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public class InspectWeightsCommandTests
{
    [Fact]
    public void PrintsFormatArchitectureAndParameterCounts()
    {
        var fixture = WeightFixtures.SharedClip();
        var path = WeightFixtures.File("clip_weights.safetensors");
        var (exit, output, error) = CliRunner.Run("inspect-weights", path,
            "--vision-heads", fixture.Dims["vision_heads"].ToString(), "--text-heads", fixture.Dims["transformer_heads"].ToString());

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("safetensors, OpenAI names", output);
        Assert.Contains($"embed dim   {fixture.Dims["embed_dim"]}", output);
        Assert.Contains($"width {fixture.Dims["vision_width"]}, {fixture.Dims["vision_layers"]} layers, {fixture.Dims["vision_heads"]} heads (--vision-heads)", output);
        long total = fixture.Keys.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b));
        Assert.Contains($"total {total.ToString("N0", CultureInfo.InvariantCulture),19}", output);
    }

    [Fact]
    public void NonCheckpointFileExitsWithOneAndNamesTheFile()
    {
        var path = WeightFixtures.File("clip_weights.json");
        var (exit, output, error) = CliRunner.Run("inspect-weights", path);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains(path, error);
        Assert.Contains("expected an OpenAI CLIP TorchScript archive", error);
    }
}
