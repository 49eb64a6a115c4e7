using Tcl.Clip;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tcl.Grounding;

/// <summary>
/// The grounder's trainable transformer blocks: copies of CLIP's blocks from <c>ie_freeze</c> on, stored under their
/// original indices (<c>transformer.resblocks.11.*</c> for ViT-B/16, as slicing an <c>nn.Sequential</c> keeps the
/// keys in the official code). The last block attends each token only to itself (MaskCLIP-style; official
/// <c>MaskerBackbone</c>). <c>[B, 1 + h·w, width] → [B, 1 + h·w, width]</c>.
/// </summary>
public sealed class GrounderBackbone : nn.Module<Tensor, Tensor>
{
    public CopiedBlocks transformer;

    public GrounderBackbone(IReadOnlyList<(int Index, ResidualAttentionBlock Block)> blocks) : base("backbone")
    {
        transformer = new CopiedBlocks(blocks);
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens) => transformer.forward(tokens);
}

/// <summary>Blocks keyed by their index in the CLIP tower (<c>resblocks.{index}</c>).</summary>
public sealed class CopiedBlocks : nn.Module<Tensor, Tensor>
{
    public ModuleDict<ResidualAttentionBlock> resblocks;

    private readonly ResidualAttentionBlock[] _ordered; // run order (= index order)

    public CopiedBlocks(IReadOnlyList<(int Index, ResidualAttentionBlock Block)> blocks) : base("transformer")
    {
        if (blocks.Count == 0) throw new ArgumentException("The grounder needs at least one block.", nameof(blocks));
        resblocks = new ModuleDict<ResidualAttentionBlock>();
        foreach (var (index, block) in blocks) resblocks.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture), block);
        _ordered = blocks.OrderBy(b => b.Index).Select(b => b.Block).ToArray();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        for (int i = 0; i < _ordered.Length; i++)
            x = _ordered[i].forward(x, i == _ordered.Length - 1 ? AttentionMode.SelfOnly : AttentionMode.Full);
        return x;
    }
}

/// <summary>
/// Turns grounder tokens into the dense embedding E (official <c>masker.image_encoder.decoder</c>): patch tokens as
/// a map, the gated decoder (×4 up-sampling; absent in ablation row A), then <c>image_proj</c>, a trainable copy of
/// CLIP's <c>ln_post</c> + <c>proj</c> applied per pixel. <c>[B, width, h, w] → [B, embed, 4h, 4w]</c>.
/// </summary>
public sealed class DenseEmbeddingHead : nn.Module<Tensor, Tensor>
{
    public GatedDecoder? decoder;
    public ClipProjection image_proj;

    public DenseEmbeddingHead(GatedDecoder? decoder, ClipProjection imageProj) : base("decoder")
    {
        this.decoder = decoder;
        image_proj = imageProj;
        RegisterComponents();
    }

    /// <summary>Up-sampling factor of the decoder (1 without it).</summary>
    public int Scale => decoder is null ? 1 : 1 << decoder.net.Count;

    public override Tensor forward(Tensor featureMap)
    {
        var x = decoder is null ? featureMap : decoder.forward(featureMap);
        return image_proj.ProjectFeatureMap(x);
    }
}

/// <summary>The grounder's image side (official <c>masker.image_encoder</c>): <c>backbone</c> then <c>decoder</c>.</summary>
public sealed class GrounderImageEncoder : nn.Module<Tensor, Tensor>
{
    public GrounderBackbone backbone;
    public DenseEmbeddingHead decoder;

    public GrounderImageEncoder(GrounderBackbone backbone, DenseEmbeddingHead decoder) : base("image_encoder")
    {
        this.backbone = backbone;
        this.decoder = decoder;
        RegisterComponents();
    }

    /// <summary>Dense embedding E from the frozen tower's tapped tokens. <c>[B, 1 + h·w, width] → [B, embed, s·h, s·w]</c>.</summary>
    public Tensor Forward(Tensor tappedTokens, int h, int w, out Tensor backboneTokens)
    {
        backboneTokens = backbone.forward(tappedTokens);
        return decoder.forward(VisionTransformer.ToFeatureMap(backboneTokens, h, w));
    }

    public override Tensor forward(Tensor tappedTokens) =>
        throw new NotSupportedException("Call Forward(tokens, h, w, out backboneTokens): the grid size is needed.");
}
