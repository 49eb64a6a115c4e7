using Tcl.Clip;
using Tcl.Clip.Weights;
using Tcl.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Clip;

/// <summary>End to end: weight file → inferred architecture → <see cref="ClipModel"/> → a forward pass.</summary>
public class ClipModelLoadingTests
{
    [Fact]
    public void TorchScriptArchiveGivesTheSameModelAsItsFloat32StateDict()
    {
        var dims = WeightFixtures.TinyTorchScriptClip().Dims;
        using var fromArchive = ClipWeights.LoadModel(WeightFixtures.Extra("tiny_clip_torchscript.pt"), out var report, dims["vision_heads"], dims["transformer_heads"]);
        using var fromReference = ClipWeights.LoadModel(WeightFixtures.Extra("tiny_clip_expected.safetensors"), out var _unused, dims["vision_heads"], dims["transformer_heads"]);
        Assert.Equal(WeightFormat.OpenAiTorchScript, report.Format);
        Assert.Equal(fromArchive.state_dict().Count, report.TensorsLoaded);

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var side = fromArchive.Config.Vision.ImageResolution;
        var image = randn(2, 3, side, side, generator: new Generator(7));
        var tokens = tensor(new long[] { 1, 5, 9, dims["vocab_size"] - 1, 0, 0 }).reshape(1, 6); // last id = "EOT"
        var a = fromArchive.forward(image, tokens);
        Assert.False(a.isnan().any().item<bool>());
        TensorAssert.Close(fromReference.forward(image, tokens), a, 0, what: "logits (archive vs reference)");
    }
}
