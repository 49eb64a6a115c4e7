using System.Text.Json;
using Tcl.Clip;
using Tcl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Tests.Clip;

/// <summary>The fixture's tiny CLIP: architecture from <c>clip_weights.json</c>, weights from <c>clip_weights.safetensors</c>.</summary>
public static class ClipFixtureModel
{
    /// <summary>Architecture as stated in clip_weights.json (heads are given there: they are not width/64).</summary>
    public static ClipConfig Config()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("clip_weights.json")));
        var d = doc.RootElement.GetProperty("dims");
        int I(string name) => d.GetProperty(name).GetInt32();
        return new ClipConfig(
            I("embed_dim"),
            new VisionConfig(I("image_resolution"), I("vision_patch_size"), I("vision_width"), I("vision_layers"), I("vision_heads")),
            new TextConfig(I("context_length"), I("vocab_size"), I("transformer_width"), I("transformer_layers"), I("transformer_heads")));
    }

    /// <summary>Builds the model and copies every fixture weight in by name (all keys must match both ways).</summary>
    public static ClipModel Load()
    {
        var model = new ClipModel(Config());
        var weights = TorchSharp.PyBridge.Safetensors.LoadStateDict(Fixtures.Path("clip_weights.safetensors"));
        var own = model.state_dict();
        var missing = own.Keys.Except(weights.Keys).ToList();
        var unexpected = weights.Keys.Except(own.Keys).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidOperationException($"Key mismatch: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
        using (no_grad())
            foreach (var (name, t) in weights)
            {
                own[name].copy_(t);
                t.Dispose();
            }
        model.eval();
        return model;
    }
}
