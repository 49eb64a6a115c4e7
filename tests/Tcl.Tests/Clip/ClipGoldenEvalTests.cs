using System.Text.Json;
using Tcl.Clip;
using Tcl.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Clip;

/// <summary>
/// The CLIP part of <c>spec/data/golden/golden_eval_forward.json</c> (official code, tiny 12-layer model of
/// <c>tiny_tcl_state</c>): a padded non-square input, so the bicubic positional-embedding resize (2×2 → 3×4),
/// the block-10 tap (F10) and the self-only dense features are checked off the native grid.
/// </summary>
public sealed class ClipGoldenEvalTests : IDisposable
{
    private readonly JsonDocument _golden = JsonDocument.Parse(File.ReadAllText(Fixtures.SpecData("golden/golden_eval_forward.json")));
    private readonly Dictionary<string, Tensor> _state = GoldenJson.TinyTclState(Fixtures.SpecData("golden/tiny_tcl_state.json"));

    public void Dispose()
    {
        _golden.Dispose();
        foreach (var t in _state.Values) t.Dispose();
    }

    private Tensor G(string name) => GoldenJson.Tensor(_golden.RootElement.GetProperty(name));

    /// <summary>The tiny CLIP with TCL's frozen towers copied in (architecture derived from the tensors' shapes).</summary>
    private ClipModel BuildClip()
    {
        const string vis = "clip_image_encoder.clip_visual.", txt = "clip_text_encoder.";
        int Count(string prefix) => _state.Keys.Where(k => k.StartsWith(prefix) && k.EndsWith(".attn.in_proj_bias")).Count();
        long[] S(string k) => _state[k].shape;
        int vWidth = (int)S(vis + "conv1.weight")[0], patch = (int)S(vis + "conv1.weight")[2];
        int grid = (int)Math.Sqrt(S(vis + "positional_embedding")[0] - 1);
        int tWidth = (int)S(txt + "ln_final.weight")[0];
        var cfg = new ClipConfig((int)S(txt + "text_projection")[1],
            new VisionConfig(grid * patch, patch, vWidth, Count(vis), Heads: 2),
            new TextConfig((int)S(txt + "positional_embedding")[0], (int)S(txt + "token_embedding.weight")[0], tWidth, Count(txt), Heads: 2));
        var model = new ClipModel(cfg);
        var target = model.state_dict();
        using (no_grad())
            foreach (var (name, p) in target)
            {
                string source = name switch
                {
                    "visual.ln_post.weight" => "clip_image_encoder.clip_proj.ln.weight",
                    "visual.ln_post.bias" => "clip_image_encoder.clip_proj.ln.bias",
                    "visual.proj" => "clip_image_encoder.clip_proj.proj",
                    "logit_scale" => "",
                    _ when name.StartsWith("visual.") => vis + name["visual.".Length..],
                    _ => txt + name,
                };
                if (source.Length > 0) p.copy_(_state[source]);
            }
        model.eval();
        return model;
    }

    [Fact]
    public void PaddedNonSquareImagePathMatches()
    {
        using var model = BuildClip();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var pad = _golden.RootElement.GetProperty("pad_lrtb").EnumerateArray().Select(x => x.GetInt64()).ToArray();
        var padded = nn.functional.pad(G("image"), pad);                            // zero padding l, r, t, b
        Assert.Equal(G("padded_image_shape").to(int64).data<long>().ToArray(), padded.shape);

        var v = model.visual;
        int patch = v.Config.PatchSize, h = (int)padded.shape[2] / patch, w = (int)padded.shape[3] / patch;
        var pos = G("pos_emb_interpolated_3x4");
        Assert.Equal(1 + h * w, pos.shape[0]);
        TensorAssert.Close(pos, v.PositionalEmbedding(h, w), 1e-6, 1e-6, "interpolated positional embedding");

        var outp = v.EncodeTokens(padded, new VisionEncodeOptions(SelfOnlyLastBlock: true, TapBlock: v.Config.Layers - 2));
        TensorAssert.Close(G("F10_block10_output_LND"), outp.Tapped!.transpose(0, 1), 1e-5, 1e-5, "F10");
        TensorAssert.Close(G("frozen_dense_features_X"), VisionTransformer.ToFeatureMap(outp.Tokens, h, w), 1e-5, 1e-5, "X");
    }

    [Fact]
    public void PromptEmbeddingsMatch()
    {
        using var model = BuildClip();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var tokens = G("tokens").to(int64);                                        // [K, T, 77]
        var flat = tokens.reshape(-1, tokens.shape[^1]);
        TensorAssert.Close(G("raw_text_embeddings_per_prompt"), model.EncodeText(flat), 1e-5, 1e-5, "prompt embeddings");
    }
}
