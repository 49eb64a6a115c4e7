using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Tcl.Clip;

/// <summary>How a block's tokens may attend to each other.</summary>
public enum AttentionMode
{
    /// <summary>Every token attends to every token (CLIP's image tower).</summary>
    Full,
    /// <summary>Token i attends to tokens 0..i (CLIP's text tower: −∞ above the diagonal).</summary>
    Causal,
    /// <summary>
    /// Token i attends only to itself (MaskCLIP-style last block, <c>ignore_last_attn</c> in the official
    /// <c>sclip/model.py</c>): softmax over {0, −∞, …} is exactly one-hot, so the output is exactly
    /// <c>out_proj(v_i)</c>; computed directly, without the L×L scores.
    /// </summary>
    SelfOnly,
}

/// <summary>
/// Multi-head attention with PyTorch's <c>nn.MultiheadAttention</c> parameter layout: a packed input projection
/// <c>in_proj_weight [3·width, width]</c> ordered (q, k, v) and <c>out_proj</c>, so OpenAI checkpoints load by name.
/// Works on batch-first tokens <c>[B, L, width]</c>.
/// </summary>
public sealed class ClipAttention : nn.Module<Tensor, AttentionMode, Tensor>
{
    private readonly int _heads;

    // Names as in torch.nn.MultiheadAttention: state-dict keys attn.in_proj_weight, attn.in_proj_bias, attn.out_proj.*.
    public Parameter in_proj_weight;
    public Parameter in_proj_bias;
    public Linear out_proj;

    public ClipAttention(int width, int heads) : base("attn")
    {
        if (width % heads != 0)
            throw new ArgumentException($"Attention width {width} is not divisible by {heads} heads.", nameof(heads));
        _heads = heads;
        in_proj_weight = new Parameter(empty(3 * width, width));
        in_proj_bias = new Parameter(zeros(3 * width));
        out_proj = nn.Linear(width, width, hasBias: true);
        RegisterComponents();
        // nn.MultiheadAttention's own initialisation: xavier-uniform packed projection, zero biases.
        using (no_grad())
        {
            nn.init.xavier_uniform_(in_proj_weight);
            out_proj.bias!.zero_();
        }
    }

    /// <summary>Number of attention heads.</summary>
    public int Heads => _heads;

    /// <param name="x">Tokens <c>[B, L, width]</c> (already layer-normalised by the block).</param>
    /// <param name="mode">Which tokens each token may attend to.</param>
    /// <returns>Attention output <c>[B, L, width]</c>.</returns>
    public override Tensor forward(Tensor x, AttentionMode mode)
    {
        long width = x.shape[2];
        if (mode == AttentionMode.SelfOnly)
        {
            // Only the value path survives one-hot attention: v = x·W_vᵀ + b_v, then out_proj.
            var wv = in_proj_weight.narrow(0, 2 * width, width);
            var bv = in_proj_bias.narrow(0, 2 * width, width);
            return out_proj.forward(F.linear(x, wv, bv));
        }

        long b = x.shape[0], l = x.shape[1], headDim = width / _heads;
        var qkv = F.linear(x, in_proj_weight, in_proj_bias)      // [B, L, 3·width]
            .view(b, l, 3, _heads, headDim)
            .permute(2, 0, 3, 1, 4);                             // [3, B, heads, L, headDim]
        var q = qkv[0];
        var k = qkv[1];
        var v = qkv[2];
        // Scale 1/sqrt(headDim) as nn.MultiheadAttention; the causal case is the additive −∞ upper triangle.
        var o = F.scaled_dot_product_attention(q, k, v, is_casual: mode == AttentionMode.Causal); // [B, heads, L, headDim]
        return out_proj.forward(o.transpose(1, 2).reshape(b, l, width));
    }
}
