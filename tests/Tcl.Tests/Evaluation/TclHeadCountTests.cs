using Tcl.Clip.Weights;
using Tcl.Evaluation;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// The attention-head counts of an evaluated TCL (which no weight shape shows) come from the training checkpoint's
/// run config, or from the CLIP file's stored counts; a contradicting option is refused, and when nothing can tell
/// them the call is refused instead of assuming width / 64.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class TclHeadCountTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-heads-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Clip => Fixtures.Path("clip_weights.safetensors");

    [Fact]
    public void HeadsComeFromTheTrainingCheckpointsRunConfig()
    {
        var dims = WeightFixtures.SharedClip().Dims;
        var checkpoint = TrainingCheckpointFiles.FromFixture(Path.Combine(_dir, "checkpoint-0000005.safetensors"));
        using var method = SegmentationMethods.Tcl(Clip, checkpoint, EvaluationProtocol.Synthetic);
        Assert.Equal(dims["vision_heads"], method.Model.Clip.Vision.Heads);
        Assert.Equal(dims["transformer_heads"], method.Model.Clip.Text.Heads);
    }

    [Fact]
    public void AnOptionContradictingTheRunConfigIsRefused()
    {
        var dims = WeightFixtures.SharedClip().Dims;
        var checkpoint = TrainingCheckpointFiles.FromFixture(Path.Combine(_dir, "checkpoint-0000005.safetensors"));
        var error = Assert.Throws<WeightLoadException>(() =>
            SegmentationMethods.Tcl(Clip, checkpoint, EvaluationProtocol.Synthetic, visionHeads: dims["vision_heads"] * 2));
        Assert.Contains(checkpoint, error.Message);
        Assert.Contains($"vision_heads = {dims["vision_heads"]}", error.Message);
    }

    [Fact]
    public void WithoutRunConfigOrStoredHeadsTheCountsMustBeGiven()
    {
        var error = Assert.Throws<WeightLoadException>(() =>
            SegmentationMethods.Tcl(Clip, Fixtures.Path("tcl_weights.safetensors"), EvaluationProtocol.Synthetic));
        Assert.Contains("cannot be known", error.Message);
        Assert.Contains("--vision-heads", error.Message);
    }

    [Fact]
    public void HeadsStoredInTheClipFileAreUsed()
    {
        var dims = WeightFixtures.SharedClip().Dims;
        var clip = WeightFileEdits.Edited(Clip, Path.Combine(_dir, "clip.safetensors"), _ => { }, new Dictionary<string, string>
        {
            ["format"] = "pt",
            [ClipWeightsWriter.VisionHeadsKey] = $"{dims["vision_heads"]}",
            [ClipWeightsWriter.TextHeadsKey] = $"{dims["transformer_heads"]}",
        });
        using var method = SegmentationMethods.Tcl(clip, Fixtures.Path("tcl_weights.safetensors"), EvaluationProtocol.Synthetic);
        Assert.Equal(dims["vision_heads"], method.Model.Clip.Vision.Heads);
        Assert.Equal(dims["transformer_heads"], method.Model.Clip.Text.Heads);
    }
}
