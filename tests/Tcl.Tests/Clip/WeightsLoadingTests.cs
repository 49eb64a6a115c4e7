using Tcl.Clip.Weights;
using Tcl.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Clip;

/// <summary>
/// Strict loading is all-or-nothing: a mismatch of any kind names every offending key, and the module's tensors are
/// bitwise unchanged afterwards. The target is a stand-in module with the fixture's OpenAI names.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class WeightsLoadingTests : IDisposable
{
    private readonly FixtureDescription _fixture = WeightFixtures.SharedClip();
    private readonly ClipCheckpoint _checkpoint;

    public WeightsLoadingTests()
    {
        var d = WeightFixtures.SharedClip().Dims;
        _checkpoint = ClipWeights.Read(WeightFixtures.File("clip_weights.safetensors"), d["vision_heads"], d["transformer_heads"]);
    }

    public void Dispose() => _checkpoint.Dispose();

    [Fact]
    public void MatchingModuleReceivesEveryTensor()
    {
        using var module = StandInModule.Build(_fixture.Keys);
        var report = StateDictLoading.Load(module, _checkpoint);

        Assert.Equal(_fixture.Keys.Count, report.TensorsLoaded);
        Assert.Equal(_checkpoint.ParameterCount, report.ParameterCount);
        Assert.Equal(WeightFormat.Safetensors, report.Format);
        Assert.Equal(_checkpoint.Path, report.Source);
        Assert.Empty(report.SkippedKeys);
        foreach (var (key, tensor) in module.state_dict())
            Assert.True(BitwiseTensors.Identical(tensor, _checkpoint.StateDict[key]), key);
    }

    [Fact]
    public void MissingKeyIsNamedAndNothingIsCopied()
    {
        var shapes = new Dictionary<string, long[]>(_fixture.Keys) { ["visual.extra_scale"] = [3] };
        var error = AssertFailsUnchanged(shapes, _checkpoint.StateDict);
        Assert.Equal(["visual.extra_scale"], error.MissingKeys);
        Assert.Contains("missing keys (in the module, not in the weights) (1):", error.Message);
        Assert.Contains("visual.extra_scale", error.Message);
    }

    [Fact]
    public void UnexpectedKeyIsNamedAndNothingIsCopied()
    {
        var shapes = _fixture.Keys.Where(kv => kv.Key != "visual.proj").ToDictionary();
        var error = AssertFailsUnchanged(shapes, _checkpoint.StateDict);
        Assert.Equal(["visual.proj"], error.UnexpectedKeys);
        Assert.Contains("unexpected keys (in the weights, not in the module) (1):", error.Message);
    }

    [Fact]
    public void WronglyNamedKeyShowsAsMissingAndUnexpected()
    {
        var weights = _checkpoint.StateDict.ToDictionary(kv => kv.Key == "ln_final.weight" ? "ln_final.gain" : kv.Key, kv => kv.Value);
        var error = AssertFailsUnchanged(_fixture.Keys, weights);
        Assert.Equal(["ln_final.weight"], error.MissingKeys);
        Assert.Equal(["ln_final.gain"], error.UnexpectedKeys);
    }

    [Fact]
    public void ShapeMismatchIsNamedWithBothShapesAndNothingIsCopied()
    {
        var proj = _fixture.Keys["visual.proj"];
        var shapes = new Dictionary<string, long[]>(_fixture.Keys) { ["visual.proj"] = [proj[0], proj[1] + 1] };
        var error = AssertFailsUnchanged(shapes, _checkpoint.StateDict);
        var mismatch = Assert.Single(error.ShapeMismatches);
        Assert.Equal("visual.proj", mismatch.Key);
        Assert.Contains($"visual.proj: module [{proj[0]},{proj[1] + 1}], weights [{proj[0]},{proj[1]}]", error.Message);
    }

    [Fact]
    public void LongListsAreCappedWithCounts()
    {
        // A checkpoint of another model: every name differs.
        var shapes = _fixture.Keys.ToDictionary(kv => "other." + kv.Key, kv => kv.Value);
        var error = AssertFailsUnchanged(shapes, _checkpoint.StateDict);
        int n = _fixture.Keys.Count;
        Assert.Equal(n, error.MissingKeys.Count);
        Assert.Equal(n, error.UnexpectedKeys.Count);
        Assert.Contains($"missing keys (in the module, not in the weights) ({n}):", error.Message);
        Assert.Contains($"… and {n - WeightLoadException.ListedNamesPerProblem} more", error.Message);
        Assert.Contains(_checkpoint.Path, error.Message);
    }

    [Fact]
    public void PrefixLoadsAVisionTowerFromAFullClipDict()
    {
        var visionShapes = _fixture.Keys.Where(kv => kv.Key.StartsWith("visual."))
            .ToDictionary(kv => kv.Key["visual.".Length..], kv => kv.Value);
        using var tower = StandInModule.Build(visionShapes, "VisionTower");
        var report = StateDictLoading.Load(tower, _checkpoint, WeightSelection.Under("visual."));

        Assert.Equal(visionShapes.Count, report.TensorsLoaded);
        Assert.Equal(_checkpoint.VisionParameterCount, report.ParameterCount);
        foreach (var (key, tensor) in tower.state_dict())
            Assert.True(BitwiseTensors.Identical(tensor, _checkpoint.StateDict["visual." + key]), key);
    }

    [Fact]
    public void ExceptLoadsATextTowerAndReportsWhatWasSkipped()
    {
        var textShapes = _fixture.Keys.Where(kv => !kv.Key.StartsWith("visual.") && kv.Key != "logit_scale").ToDictionary();
        using var tower = StandInModule.Build(textShapes, "TextTower");
        var report = StateDictLoading.Load(tower, _checkpoint, WeightSelection.Except("visual.", "logit_scale"));

        Assert.Equal(textShapes.Count, report.TensorsLoaded);
        Assert.Equal(_checkpoint.TextParameterCount, report.ParameterCount);
        Assert.Contains("logit_scale", report.SkippedKeys);
        Assert.Contains("visual.proj", report.SkippedKeys);
    }

    [Fact]
    public void IgnoredModuleEntriesOfABiggerModelStayUntouched()
    {
        // TCL-like: CLIP's names plus the model's own trainable parts, which CLIP weights do not cover.
        var shapes = new Dictionary<string, long[]>(_fixture.Keys) { ["masker.sim2mask.w"] = [], ["masker.sim2mask.b"] = [] };
        using var module = StandInModule.Build(shapes, "BiggerModel");
        var before = module.state_dict()["masker.sim2mask.w"].clone();
        var report = StateDictLoading.Load(module, _checkpoint, new WeightSelection(Ignore: n => n.StartsWith("masker.")));

        Assert.Equal(_fixture.Keys.Count, report.TensorsLoaded);
        Assert.Equal(["masker.sim2mask.b", "masker.sim2mask.w"], report.SkippedKeys);
        Assert.True(BitwiseTensors.Identical(before, module.state_dict()["masker.sim2mask.w"]));
    }

    /// <summary>Loads into a fresh stand-in with <paramref name="shapes"/>, expects failure, checks every module tensor
    /// is bitwise what it was before, and returns the error.</summary>
    private WeightLoadException AssertFailsUnchanged(IReadOnlyDictionary<string, long[]> shapes, IReadOnlyDictionary<string, Tensor> weights)
    {
        using var module = StandInModule.Build(shapes);
        var before = module.Snapshot();
        var error = Assert.Throws<WeightLoadException>(() => StateDictLoading.Load(module, weights, _checkpoint.Path));
        foreach (var (key, tensor) in module.state_dict())
            Assert.True(BitwiseTensors.Identical(before[key], tensor), $"{key} changed although the load failed");
        foreach (var tensor in before.Values) tensor.Dispose();
        Assert.Contains("nothing was loaded", error.Message);
        return error;
    }
}
