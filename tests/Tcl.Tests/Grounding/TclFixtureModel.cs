using System.Text.Json;
using Tcl.Grounding;
using Tcl.Tests.Support;

namespace Tcl.Tests.Grounding;

/// <summary>
/// The fixtures' tiny TCL: CLIP architecture from <c>clip_weights.json</c>, <c>ie_freeze</c> from
/// <c>tcl_weights.json</c>, CLIP weights from <c>clip_weights.safetensors</c> and the (perturbed) learned weights
/// from <c>tcl_weights.safetensors</c>, loaded the way a user loads the released checkpoint.
/// </summary>
public static class TclFixtureModel
{
    public static TclModel Load(TclLossConfig? losses = null)
    {
        int freeze;
        using (var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("tcl_weights.json"))))
            freeze = doc.RootElement.GetProperty("config").GetProperty("model").GetProperty("ie_freeze").GetInt32();
        var model = new TclModel(WeightFixtures.SharedClip().Config, new GrounderConfig(FreezeBlocks: freeze), losses);
        TclWeights.LoadClip(model, Fixtures.Path("clip_weights.safetensors"));
        TclWeights.LoadLearned(model, Fixtures.Path("tcl_weights.safetensors"));
        return model;
    }

    /// <summary>Names of the parameters the fixture recorded gradients for, in its order (<c>manifest.json</c>).</summary>
    public static IReadOnlyList<string> ParamsWithGrad(string fixture)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("manifest.json")));
        return doc.RootElement.GetProperty("files").GetProperty(fixture).GetProperty("extra").GetProperty("params_with_grad")
            .EnumerateArray().Select(e => e.GetString()!).ToList();
    }
}
