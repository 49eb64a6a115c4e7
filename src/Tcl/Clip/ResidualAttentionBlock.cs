using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Clip;

/// <summary>CLIP's activation <c>x·σ(1.702·x)</c> (not the exact GELU).</summary>
public sealed class QuickGelu : nn.Module<Tensor, Tensor>
{
    public QuickGelu() : base("gelu") { }

    private static readonly Scalar Alpha = Scalars.Pinned(1.702);

    public override Tensor forward(Tensor x) => x * torch.sigmoid(x.mul(Alpha));
}

/// <summary>
/// Pre-LN transformer block of both CLIP towers: <c>y = x + attn(ln_1(x))</c>, <c>z = y + mlp(ln_2(y))</c>, with the
/// MLP width→4·width→width and QuickGELU. Field names give OpenAI's keys (<c>attn.in_proj_weight</c>,
/// <c>ln_1.weight</c>, <c>mlp.c_fc.weight</c>, …). Tokens are batch-first <c>[B, L, width]</c>.
/// </summary>
public sealed class ResidualAttentionBlock : nn.Module<Tensor, AttentionMode, Tensor>
{
    public ClipAttention attn;
    public LayerNorm ln_1;
    public Sequential mlp;
    public LayerNorm ln_2;

    public ResidualAttentionBlock(int width, int heads) : base(nameof(ResidualAttentionBlock))
    {
        attn = new ClipAttention(width, heads);
        ln_1 = nn.LayerNorm(width, eps: 1e-5);
        mlp = nn.Sequential(
            ("c_fc", nn.Linear(width, width * 4)),
            ("gelu", new QuickGelu()),
            ("c_proj", nn.Linear(width * 4, width)));
        ln_2 = nn.LayerNorm(width, eps: 1e-5);
        RegisterComponents();
    }

    /// <param name="x">Tokens <c>[B, L, width]</c>.</param>
    /// <param name="mode">Attention pattern (full, causal, or MaskCLIP's self-only; residual and MLP are kept in every mode).</param>
    /// <remarks>
    /// Runs in a dispose scope of its own: the block's intermediates (q/k/v, the 4·width MLP activations, …) are
    /// released when it returns instead of living to the end of the caller's step scope (~80 MB per ViT-B/16 block
    /// at batch 8). Tensors autograd saved for backward stay alive through the graph's own references.
    /// </remarks>
    public override Tensor forward(Tensor x, AttentionMode mode) => WrappedTensorDisposeScope(() =>
    {
        var y = x.add(attn.forward(ln_1.forward(x), mode), Scalars.One);
        return y.add(mlp.forward(ln_2.forward(y)), Scalars.One);
    });

    /// <summary>OpenAI's text-tower initialisation (normal with the given standard deviations; biases kept).</summary>
    internal void InitNormal(double attnStd, double projStd, double fcStd)
    {
        using var _ = no_grad();
        nn.init.normal_(attn.in_proj_weight, std: attnStd);
        nn.init.normal_(attn.out_proj.weight, std: projStd);
        nn.init.normal_(((Linear)mlp[0]).weight, std: fcStd);
        nn.init.normal_(((Linear)mlp[2]).weight, std: projStd);
    }
}
