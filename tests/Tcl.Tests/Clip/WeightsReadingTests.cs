using Tcl.Clip;
using Tcl.Clip.Weights;
using Tcl.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Clip;

/// <summary>
/// Every supported container yields the same OpenAI-named float32 state dict, and the architecture inferred from it
/// matches what the fixture's JSON promises. Shapes and sizes come from the fixture files only.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public class WeightsReadingTests
{
    [Fact]
    public void PtAndSafetensorsFixturesHoldIdenticalTensorsWithTheJsonKeys()
    {
        var expected = WeightFixtures.SharedClip();
        var fromPt = StateDictReader.Read(WeightFixtures.File("clip_weights.pt"), out var ptFormat);
        var fromSafetensors = StateDictReader.Read(WeightFixtures.File("clip_weights.safetensors"), out var stFormat);
        try
        {
            Assert.Equal(WeightFormat.PyTorchStateDict, ptFormat);
            Assert.Equal(WeightFormat.Safetensors, stFormat);
            AssertKeysAndShapes(expected.Keys, fromPt);
            AssertKeysAndShapes(expected.Keys, fromSafetensors);
            foreach (var (key, tensor) in fromPt)
            {
                Assert.Equal(ScalarType.Float32, tensor.dtype);
                Assert.Equal(DeviceType.CPU, tensor.device_type);
                Assert.True(BitwiseTensors.Identical(tensor, fromSafetensors[key]), $"{key} differs between .pt and .safetensors");
            }
        }
        finally
        {
            DisposeAll(fromPt);
            DisposeAll(fromSafetensors);
        }
    }

    [Theory]
    [InlineData("clip_weights.safetensors")]
    [InlineData("clip_weights.pt")]
    public void InferredArchitectureMatchesTheFixtureDims(string file)
    {
        var expected = WeightFixtures.SharedClip();
        using var checkpoint = ClipWeights.Read(WeightFixtures.File(file),
            visionHeads: expected.Dims["vision_heads"], textHeads: expected.Dims["transformer_heads"]);

        Assert.Equal(expected.Config, checkpoint.Config);
        Assert.Equal(expected.Keys.Values.Sum(Elements), checkpoint.ParameterCount);
        Assert.Equal(checkpoint.ParameterCount,
            checkpoint.VisionParameterCount + checkpoint.TextParameterCount + checkpoint.SharedParameterCount);
        Assert.Equal(expected.Keys.Where(kv => kv.Key.StartsWith("visual.")).Sum(kv => Elements(kv.Value)),
            checkpoint.VisionParameterCount);
    }

    [Fact]
    public void HeadsDefaultToWidthOver64LikeOpenAisBuildModel()
    {
        using var checkpoint = ClipWeights.Read(WeightFixtures.File("clip_weights.safetensors"));
        Assert.Equal(ClipConfig.DefaultHeads(checkpoint.Config.Vision.Width), checkpoint.Config.Vision.Heads);
        Assert.Equal(ClipConfig.DefaultHeads(checkpoint.Config.Text.Width), checkpoint.Config.Text.Heads);
    }

    [Fact]
    public void HeadsThatDoNotDivideTheWidthAreRejected()
    {
        var path = WeightFixtures.File("clip_weights.safetensors");
        int width = WeightFixtures.SharedClip().Dims["vision_width"];
        var error = Assert.Throws<WeightLoadException>(() => ClipWeights.Read(path, visionHeads: width + 1));
        Assert.Contains("vision heads", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void OpenAiStyleTorchScriptArchiveReadsLikeOpenAisLoader()
    {
        // A traced archive in OpenAI's layout: mixed fp16/fp32 weights, 0-d metadata tensors, the causal mask as a
        // graph constant (see fixtures-extra/make_torchscript_clip.py).
        var expected = WeightFixtures.TinyTorchScriptClip();
        using var checkpoint = ClipWeights.Read(WeightFixtures.Extra("tiny_clip_torchscript.pt"),
            expected.Dims["vision_heads"], expected.Dims["transformer_heads"]);

        Assert.Equal(WeightFormat.OpenAiTorchScript, checkpoint.Format);
        AssertKeysAndShapes(expected.Keys, checkpoint.StateDict);
        Assert.DoesNotContain("input_resolution", checkpoint.StateDict.Keys);
        Assert.Equal(expected.Config, checkpoint.Config);
        AssertEqualsReference(checkpoint.StateDict);
    }

    [Fact]
    public void TrainingCheckpointWithNestedStateDictReads()
    {
        // torch.save({"epoch": 3, "state_dict": archive.state_dict()}): fp16 weights plus metadata, one level down.
        var expected = WeightFixtures.TinyTorchScriptClip();
        var stateDict = StateDictReader.Read(WeightFixtures.Extra("tiny_clip_nested_state_dict.pt"), out var format);
        try
        {
            Assert.Equal(WeightFormat.PyTorchStateDict, format);
            AssertKeysAndShapes(expected.Keys, stateDict);
            AssertEqualsReference(stateDict);
        }
        finally
        {
            DisposeAll(stateDict);
        }
    }

    /// <summary>Bitwise equality with the float32 reference the generator wrote (fp16 → fp32 is exact).</summary>
    private static void AssertEqualsReference(IReadOnlyDictionary<string, Tensor> actual)
    {
        var reference = StateDictReader.Read(WeightFixtures.Extra("tiny_clip_expected.safetensors"), out _);
        try
        {
            Assert.Equal(reference.Keys.Order(), actual.Keys.Order());
            foreach (var (key, tensor) in reference)
            {
                Assert.Equal(ScalarType.Float32, actual[key].dtype);
                Assert.True(BitwiseTensors.Identical(tensor, actual[key]), $"{key} differs from the reference");
            }
        }
        finally
        {
            DisposeAll(reference);
        }
    }

    internal static void AssertKeysAndShapes(IReadOnlyDictionary<string, long[]> expected, IReadOnlyDictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in expected)
            Assert.True(shape.SequenceEqual(actual[key].shape),
                $"{key}: expected [{string.Join(",", shape)}], got [{string.Join(",", actual[key].shape)}]");
    }

    internal static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values) tensor.Dispose();
    }

    private static long Elements(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);
}
