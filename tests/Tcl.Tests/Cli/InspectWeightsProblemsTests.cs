using Tcl.Cli.Commands;
using Tcl.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Cli;

/// <summary>
/// <c>tcl inspect-weights</c> says what loading would refuse: tensors missing, unexpected or of the wrong shape for the
/// architecture the file implies, and NaN/±∞ values — exit code 2 with each problem named on stderr, after the usual
/// description; a directory or a truncated file is exit 1 with what is wrong; heads say where they came from.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class InspectWeightsProblemsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-inspect-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Clip => Fixtures.Path("clip_weights.safetensors");

    private (int Exit, string Output, string Error) Inspect(Action<Dictionary<string, Tensor>> edit)
    {
        var path = WeightFileEdits.Edited(Clip, Path.Combine(_dir, "edited.safetensors"), edit);
        return CliRunner.Run("inspect-weights", path);
    }

    [Fact]
    public void MissingTensorIsNamedWithExitCode2()
    {
        const string key = "transformer.resblocks.0.ln_1.bias";
        var (exit, output, error) = Inspect(t => t.Remove(key));
        Assert.Equal(InspectWeightsCommand.Unusable, exit);
        Assert.Contains("architecture (inferred from the weights)", output);
        Assert.Contains("missing keys", error);
        Assert.Contains(key, error);
    }

    [Fact]
    public void ExtraTensorIsNamedWithExitCode2()
    {
        const string key = "visual.extra_head.weight";
        var (exit, _, error) = Inspect(t => t[key] = zeros(3, 3));
        Assert.Equal(2, exit);
        Assert.Contains("unexpected keys", error);
        Assert.Contains(key, error);
    }

    [Fact]
    public void WronglyShapedTensorIsNamedWithBothShapesAndExitCode2()
    {
        const string key = "visual.ln_post.bias";
        long width = WeightFixtures.SharedClip().Dims["vision_width"];
        var (exit, _, error) = Inspect(t => t[key] = zeros(width + 1));
        Assert.Equal(2, exit);
        Assert.Contains("shape mismatches", error);
        Assert.Contains($"{key}: module [{width}], weights [{width + 1}]", error);
    }

    [Fact]
    public void NonFiniteTensorIsReportedWithExitCode2()
    {
        const string key = "visual.proj";
        var (exit, output, error) = Inspect(t => t[key] = WeightFileEdits.WithValue(t[key], 0, float.NaN));
        Assert.Equal(2, exit);
        Assert.Contains("parameters", output);
        Assert.Contains("NaN or infinite", error);
        Assert.Contains(key, error);
    }

    [Fact]
    public void CleanFileExitsZeroAndSaysTheHeadsAreAssumed()
    {
        var (exit, output, error) = CliRunner.Run("inspect-weights", Clip);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("assumed width/64", output);
    }

    [Fact]
    public void HeadsStoredInTheFileAreUsedAndSaidSo()
    {
        var dims = WeightFixtures.SharedClip().Dims;
        var path = WeightFileEdits.Edited(Clip, Path.Combine(_dir, "with-heads.safetensors"), _ => { },
            new Dictionary<string, string> { ["format"] = "pt", ["vision_heads"] = $"{dims["vision_heads"]}", ["text_heads"] = $"{dims["transformer_heads"]}" });
        var (exit, output, _) = CliRunner.Run("inspect-weights", path);
        Assert.Equal(0, exit);
        Assert.Contains($"{dims["vision_layers"]} layers, {dims["vision_heads"]} heads (stored in the file)", output);
        Assert.Contains($"{dims["transformer_layers"]} layers, {dims["transformer_heads"]} heads (stored in the file)", output);
    }

    [Fact]
    public void DirectoryExitsOneSayingItIsADirectory()
    {
        var (exit, _, error) = CliRunner.Run("inspect-weights", _dir);
        Assert.Equal(1, exit);
        Assert.Contains("is a directory", error);
    }

    [Fact]
    public void TruncatedFileExitsOneNamingTheProblem()
    {
        var path = Path.Combine(_dir, "truncated.safetensors");
        File.WriteAllBytes(path, File.ReadAllBytes(Clip)[..^8]);
        var (exit, _, error) = CliRunner.Run("inspect-weights", path);
        Assert.Equal(1, exit);
        Assert.Contains("past the end of the file", error);
    }
}
