using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Tcl.Torch;

namespace Tcl.Losses;

/// <summary>L2 normalisation as the official code does it: <c>x / max(‖x‖, 1e-6)</c>.</summary>
public static class Norm
{
    public const double Eps = 1e-6;

    public static Tensor L2(Tensor x, long dim) => F.normalize(x, p: 2, dim: dim, eps: Eps);
}

/// <summary>
/// Symmetric InfoNCE with a learnable temperature (official <c>InfoNCE</c>, <c>models/tcl/mi.py</c>):
/// <c>α = min(exp(logit_scale), 100)</c>, <c>ℓ = ½[CE(α·v̂t̂ᵀ, y) + CE(α·t̂v̂ᵀ, y)]</c> with diagonal targets. Used for
/// image-level TCL (v = CLIP embedding of the hard-masked image) and for the plain image-text contrastive loss "CL" of
/// the ablations. Key <c>logit_scale</c> (init ln(1/0.07)).
/// </summary>
public sealed class InfoNce : nn.Module<Tensor, Tensor, Tensor>
{
    public const double MaxScale = 100;

    internal static readonly Scalar MaxScaleScalar = Scalars.Pinned(MaxScale);
    internal static readonly Scalar Half = Scalars.Pinned(0.5);

    public Parameter logit_scale;

    public InfoNce(string name) : base(name)
    {
        logit_scale = new Parameter(tensor((float)Math.Log(1 / 0.07)));
        RegisterComponents();
    }

    /// <summary>The temperature α, capped at 100 (no gradient to <c>logit_scale</c> once capped).</summary>
    public Tensor Scale => logit_scale.exp().clamp_max(MaxScaleScalar);

    /// <param name="image">Image-side embeddings <c>[B, E]</c> (not normalised).</param>
    /// <param name="text">Text embeddings <c>[B, E]</c>; row b is the positive of image row b.</param>
    /// <returns>Scalar loss.</returns>
    public override Tensor forward(Tensor image, Tensor text)
    {
        var v = Norm.L2(image, -1);
        var t = Norm.L2(text, -1);
        var scale = Scale;
        var target = Scalars.Arange(v.shape[0], v.device);         // [B]
        var logitsImage = scale * v.matmul(t.t());                  // [B, B] image → text
        var logitsText = scale * t.matmul(v.t());                   // [B, B] text → image
        return F.cross_entropy(logitsImage, target).add(F.cross_entropy(logitsText, target), Scalars.One).mul(Half);
    }
}

/// <summary>
/// Feature-level TCL's extended InfoNCE (official <c>ExtendedInfoNCE</c>, <c>models/tcl/mi.py</c>): image b is pooled
/// with the mask grounded by text n and compared with text n, <c>S[b,n] = ⟨ẑ_bn, t̂_n⟩</c>;
/// <c>ℓ = ½[CE_rows(αS) + CE_cols(αS)]</c> with diagonal targets, so every negative text is matched against the region
/// it grounded itself. Key <c>logit_scale</c>.
/// </summary>
public sealed class ExtendedInfoNce : nn.Module<Tensor, Tensor, Tensor>
{
    public Parameter logit_scale;

    private static readonly Scalar PoolEps = Scalars.Pinned(1e-6);

    public ExtendedInfoNce(string name) : base(name)
    {
        logit_scale = new Parameter(tensor((float)Math.Log(1 / 0.07)));
        RegisterComponents();
    }

    /// <param name="pooled">Mask-pooled embeddings <c>z [B, N, E]</c> (not normalised), N = B texts.</param>
    /// <param name="text">Text embeddings <c>[N, E]</c> (not normalised).</param>
    public override Tensor forward(Tensor pooled, Tensor text)
    {
        var z = Norm.L2(pooled, -1);
        var t = Norm.L2(text, -1);
        var scale = logit_scale.exp().clamp_max(InfoNce.MaxScaleScalar);
        var s = scale * (z * t.unsqueeze(0)).sum(-1);               // [B, N]
        var target = Scalars.Arange(s.shape[0], s.device);         // [B]
        return F.cross_entropy(s, target).add(F.cross_entropy(s.t(), target), Scalars.One).mul(InfoNce.Half);
    }

    /// <summary>
    /// Masked average pooling of the un-normalised dense embedding with every soft mask:
    /// <c>z_bn = Σ E·m_bn / (Σ m_bn + 1e-6)</c>. <c>E [B, E, H, W], m [B, N, H, W] → [B, N, E]</c>.
    /// </summary>
    public static Tensor MaskPool(Tensor embedding, Tensor masks)
    {
        var weighted = einsum("bchw,bnhw->bnc", embedding, masks);  // [B, N, E]
        var area = masks.sum(new long[] { 2, 3 }).unsqueeze(-1);    // [B, N, 1]
        return weighted / area.add(PoolEps, Scalars.One);
    }
}
