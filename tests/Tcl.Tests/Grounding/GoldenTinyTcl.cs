using Tcl.Clip;
using Tcl.Clip.Weights;
using Tcl.Grounding;
using Tcl.Tests.Support;
using static TorchSharp.torch;

namespace Tcl.Tests.Grounding;

/// <summary>
/// The tiny TCL of <c>spec/data/golden/</c> (12-layer, 2-head vision tower, official <c>ie_freeze</c> 11): architecture
/// derived from the tensor shapes of <c>tiny_tcl_state</c>, all weights loaded by their official names.
/// </summary>
public static class GoldenTinyTcl
{
    public static TclModel Load()
    {
        var state = GoldenJson.TinyTclState(Fixtures.SpecData("golden/tiny_tcl_state.json"));
        try
        {
            const string vis = "clip_image_encoder.clip_visual.", txt = "clip_text_encoder.";
            int Count(string prefix) => state.Keys.Count(k => k.StartsWith(prefix) && k.EndsWith(".attn.in_proj_bias"));
            long[] S(string k) => state[k].shape;
            int patch = (int)S(vis + "conv1.weight")[2];
            int grid = (int)Math.Sqrt(S(vis + "positional_embedding")[0] - 1);
            var clip = new ClipConfig((int)S(txt + "text_projection")[1],
                new VisionConfig(grid * patch, patch, (int)S(vis + "conv1.weight")[0], Count(vis), Heads: 2),
                new TextConfig((int)S(txt + "positional_embedding")[0], (int)S(txt + "token_embedding.weight")[0],
                    (int)S(txt + "ln_final.weight")[0], Count(txt), Heads: 2));
            int freeze = state.Keys.Where(k => k.StartsWith(TclModel.GrounderBlocksPrefix))
                .Select(k => int.Parse(k.Split('.')[5])).Min();
            var model = new TclModel(clip, new GrounderConfig(FreezeBlocks: freeze));
            StateDictLoading.Load(model, state, "tiny_tcl_state");
            return model;
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }
}
