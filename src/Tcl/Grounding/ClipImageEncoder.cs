using Tcl.Clip;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Grounding;

/// <summary>Frozen image-tower outputs that feed the grounder.</summary>
/// <param name="Tapped">Output of block <c>ie_freeze − 1</c> (F10 for ViT-B/16), <c>[B, 1 + h·w, width]</c>.</param>
/// <param name="GridHeight">Patch rows h.</param>
/// <param name="GridWidth">Patch columns w.</param>
public sealed record GrounderInput(Tensor Tapped, int GridHeight, int GridWidth);

/// <summary>
/// TCL's frozen CLIP image side (official <c>clip_image_encoder</c>): the ViT without its head (<c>clip_visual</c>)
/// and CLIP's <c>ln_post</c> + <c>proj</c> as a module of its own (<c>clip_proj</c>), so the tower outputs pre-LN
/// tokens and the projection can be applied per token or per pixel.
/// </summary>
public sealed class ClipImageEncoder : nn.Module<Tensor, Tensor>
{
    public VisionTransformer clip_visual;
    public ClipProjection clip_proj;

    public ClipImageEncoder(VisionConfig config, int embedDim) : base("clip_image_encoder")
    {
        clip_visual = new VisionTransformer(config, embedDim, withHead: false);
        clip_proj = new ClipProjection(config.Width, embedDim);
        RegisterComponents();
    }

    /// <summary>Standard CLIP global embedding (no self-only block): class token → <c>clip_proj</c>. <c>[B,3,H,W] → [B, embed]</c>.</summary>
    public override Tensor forward(Tensor image) => clip_proj.forward(clip_visual.EncodeTokens(image).Tokens.select(1, 0));

    /// <summary>
    /// The grounder's input: the frozen tower up to block <paramref name="tapBlock"/> (the blocks after it are not
    /// needed for the grounder, and the official code's extra block-11 pass is discarded there).
    /// </summary>
    public GrounderInput Tap(Tensor image, int tapBlock)
    {
        var outp = clip_visual.EncodeTokens(image, new VisionEncodeOptions(TapBlock: tapBlock, StopAfterTap: true));
        return new GrounderInput(outp.Tapped!, outp.GridHeight, outp.GridWidth);
    }

    /// <summary>
    /// MaskCLIP-style dense features (self-only last block, tokens 1.., no <c>ln_post</c>) and their per-pixel
    /// projection (the official <c>TCL.kp_branch</c>). <c>[B,3,H,W] → ([B, width, h, w], [B, embed, h, w])</c>.
    /// </summary>
    public (Tensor Features, Tensor Projected) DenseFeatures(Tensor image)
    {
        var outp = clip_visual.EncodeTokens(image, new VisionEncodeOptions(SelfOnlyLastBlock: true));
        var features = VisionTransformer.ToFeatureMap(outp.Tokens, outp.GridHeight, outp.GridWidth);
        return (features, clip_proj.ProjectFeatureMap(features));
    }
}
