using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Clip;

/// <summary>
/// CLIP's <c>ln_post</c> followed by <c>@ proj</c>, as a module of its own: TCL's <c>clip_proj</c> (frozen) and the
/// grounder's <c>image_proj</c> (a trainable copy) — state-dict keys <c>ln.weight</c>, <c>ln.bias</c>, <c>proj</c>.
/// Applied to tokens <c>[…, width] → […, embed]</c> or per pixel of a feature map.
/// </summary>
public sealed class ClipProjection : nn.Module<Tensor, Tensor>
{
    public LayerNorm ln;
    public Parameter proj;

    public ClipProjection(int width, int embedDim) : base("clip_proj")
    {
        ln = nn.LayerNorm(width, eps: 1e-5);
        using var scalars = new ScalarScope();
        proj = new Parameter(randn(width, embedDim).mul_(scalars.Of(Math.Pow(width, -0.5))));
        RegisterComponents();
    }

    private ClipProjection(LayerNorm ln, Parameter proj) : base("clip_proj")
    {
        this.ln = ln;
        this.proj = proj;
        RegisterComponents();
    }

    /// <summary>A projection that shares the given (OpenAI-layout) <c>ln_post</c> and <c>proj</c>.</summary>
    internal static ClipProjection Over(LayerNorm lnPost, Parameter proj) => new(lnPost, proj);

    /// <summary><c>[…, width] → […, embed]</c>.</summary>
    public override Tensor forward(Tensor tokens) => WrappedTensorDisposeScope(() => ln.forward(tokens).matmul(proj));

    /// <summary>Per pixel: <c>[B, width, h, w] → [B, embed, h, w]</c>.</summary>
    public Tensor ProjectFeatureMap(Tensor features) =>
        WrappedTensorDisposeScope(() => forward(features.permute(0, 2, 3, 1)).permute(0, 3, 1, 2));
}
