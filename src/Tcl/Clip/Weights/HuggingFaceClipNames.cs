using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Tcl.Clip.Weights;

/// <summary>
/// Renames Hugging Face <c>CLIPModel</c> weights (transformers' <c>modeling_clip.py</c>) to OpenAI's names, undoing
/// what transformers' <c>convert_clip_original_pytorch_to_hf.py</c> does: HF splits the packed attention input
/// projection into <c>q_proj</c>/<c>k_proj</c>/<c>v_proj</c> and stores both projections as <c>nn.Linear</c> weights,
/// i.e. transposed. The rest is a one-to-one renaming. Runs inside the caller's dispose scope: replaced tensors
/// (the separate q/k/v parts, untransposed projections) are left to that scope.
/// </summary>
internal static partial class HuggingFaceClipNames
{
    /// <summary>Whole-name renames (HF → OpenAI). Note HF's spelling "pre_layrnorm".</summary>
    private static readonly Dictionary<string, string> Renames = new()
    {
        ["logit_scale"] = "logit_scale",
        ["vision_model.embeddings.class_embedding"] = "visual.class_embedding",
        ["vision_model.embeddings.patch_embedding.weight"] = "visual.conv1.weight",
        ["vision_model.embeddings.position_embedding.weight"] = "visual.positional_embedding",
        ["vision_model.pre_layrnorm.weight"] = "visual.ln_pre.weight",
        ["vision_model.pre_layrnorm.bias"] = "visual.ln_pre.bias",
        ["vision_model.post_layernorm.weight"] = "visual.ln_post.weight",
        ["vision_model.post_layernorm.bias"] = "visual.ln_post.bias",
        ["text_model.embeddings.token_embedding.weight"] = "token_embedding.weight",
        ["text_model.embeddings.position_embedding.weight"] = "positional_embedding",
        ["text_model.final_layer_norm.weight"] = "ln_final.weight",
        ["text_model.final_layer_norm.bias"] = "ln_final.bias",
    };

    /// <summary>HF <c>nn.Linear</c> projections [embed, width] → OpenAI matrices [width, embed] used as <c>x @ proj</c>.</summary>
    private static readonly Dictionary<string, string> Transposed = new()
    {
        ["visual_projection.weight"] = "visual.proj",
        ["text_projection.weight"] = "text_projection",
    };

    /// <summary>Per-layer renames inside <c>encoder.layers.{i}</c> → <c>resblocks.{i}</c>.</summary>
    private static readonly Dictionary<string, string> LayerRenames = new()
    {
        ["self_attn.out_proj.weight"] = "attn.out_proj.weight",
        ["self_attn.out_proj.bias"] = "attn.out_proj.bias",
        ["layer_norm1.weight"] = "ln_1.weight",
        ["layer_norm1.bias"] = "ln_1.bias",
        ["mlp.fc1.weight"] = "mlp.c_fc.weight",
        ["mlp.fc1.bias"] = "mlp.c_fc.bias",
        ["mlp.fc2.weight"] = "mlp.c_proj.weight",
        ["mlp.fc2.bias"] = "mlp.c_proj.bias",
        ["layer_norm2.weight"] = "ln_2.weight",
        ["layer_norm2.bias"] = "ln_2.bias",
    };

    /// <summary>Order of the packed projection along dim 0, as in <c>nn.MultiheadAttention.in_proj_weight</c>.</summary>
    private static readonly string[] PackOrder = ["q_proj", "k_proj", "v_proj"];

    [GeneratedRegex(@"^(vision_model|text_model)\.encoder\.layers\.(\d+)\.(.+)$")]
    private static partial Regex LayerKey();

    [GeneratedRegex(@"^self_attn\.([qkv]_proj)\.(weight|bias)$")]
    private static partial Regex QkvSuffix();

    /// <summary>True when the keys use HF's layout (top-level <c>vision_model.</c>/<c>text_model.</c> modules).</summary>
    public static bool IsHuggingFace(IEnumerable<string> keys) =>
        keys.Any(k => k.StartsWith("vision_model.", StringComparison.Ordinal) || k.StartsWith("text_model.", StringComparison.Ordinal));

    /// <summary>
    /// The same weights under OpenAI names. <c>position_ids</c> buffers (index ranges, not weights) are dropped.
    /// Keys this mapping does not know keep their HF name, so a strict load reports them as unexpected instead of
    /// them vanishing silently.
    /// </summary>
    public static Dictionary<string, Tensor> ToOpenAi(IReadOnlyDictionary<string, Tensor> hf, string path)
    {
        var result = new Dictionary<string, Tensor>();
        // (OpenAI layer prefix, HF layer prefix, "weight"|"bias") → q/k/v parts collected for packing.
        var packs = new Dictionary<(string Prefix, string HfPrefix, string Kind), Dictionary<string, Tensor>>();

        foreach (var (key, tensor) in hf)
        {
            if (key.EndsWith(".embeddings.position_ids", StringComparison.Ordinal)) continue;
            if (Renames.TryGetValue(key, out var renamed)) { result[renamed] = tensor; continue; }
            if (Transposed.TryGetValue(key, out var projection)) { result[projection] = tensor.t().contiguous(); continue; }

            var layer = LayerKey().Match(key);
            if (!layer.Success) { result[key] = tensor; continue; }
            var prefix = (layer.Groups[1].Value == "vision_model" ? "visual.transformer" : "transformer")
                         + $".resblocks.{layer.Groups[2].Value}.";
            var suffix = layer.Groups[3].Value;

            var qkv = QkvSuffix().Match(suffix);
            if (qkv.Success)
            {
                var slot = (prefix, key[..^suffix.Length] + "self_attn.", qkv.Groups[2].Value);
                if (!packs.TryGetValue(slot, out var parts)) packs[slot] = parts = new Dictionary<string, Tensor>();
                parts[qkv.Groups[1].Value] = tensor;
            }
            else
            {
                result[LayerRenames.TryGetValue(suffix, out var openAi) ? prefix + openAi : key] = tensor;
            }
        }

        foreach (var ((prefix, hfPrefix, kind), parts) in packs)
        {
            var absent = PackOrder.Where(p => !parts.ContainsKey(p)).ToList();
            if (absent.Count > 0)
                throw new WeightLoadException(path,
                    $"Hugging Face attention weights are incomplete for {prefix}attn.in_proj_{kind}: " +
                    $"missing {string.Join(", ", absent.Select(a => $"{hfPrefix}{a}.{kind}"))}.");
            result[$"{prefix}attn.in_proj_{kind}"] = cat(PackOrder.Select(p => parts[p]).ToList(), 0);
        }
        return result;
    }
}
