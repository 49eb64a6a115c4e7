using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tcl.Clip;

/// <summary>
/// CLIP: the image tower under <c>visual.</c>, the text tower's parts at the top level and <c>logit_scale</c>, so the
/// state dict has exactly OpenAI's keys (<c>visual.transformer.resblocks.0.attn.in_proj_weight</c>,
/// <c>token_embedding.weight</c>, …). <c>forward</c> returns the image-to-text logits.
/// </summary>
public sealed class ClipModel : nn.Module<Tensor, Tensor, Tensor>
{
    public VisionTransformer visual;
    public Parameter logit_scale;

    public ClipModel(ClipConfig config) : base("clip")
    {
        Config = config;
        visual = new VisionTransformer(config.Vision, config.EmbedDim);
        Text = new TextTransformer(config.Text, config.EmbedDim);
        logit_scale = new Parameter(tensor((float)Math.Log(1 / 0.07)));
        // The text tower is one module in this library but top-level in OpenAI's naming: register its parts here
        // (same objects, so Text and this model share the parameters).
        register_module("visual", visual);
        register_module("token_embedding", Text.token_embedding);
        register_parameter("positional_embedding", Text.positional_embedding);
        register_module("transformer", Text.transformer);
        register_module("ln_final", Text.ln_final);
        register_parameter("text_projection", Text.text_projection);
        register_parameter("logit_scale", logit_scale);
    }

    /// <summary>The architecture.</summary>
    public ClipConfig Config { get; }

    /// <summary>The text tower (its parameters are this model's top-level text parameters).</summary>
    public TextTransformer Text { get; }

    /// <summary>Global image embeddings, not normalised. <c>[B,3,H,W] → [B, embed]</c>.</summary>
    public Tensor EncodeImage(Tensor image) => visual.forward(image);

    /// <summary>Text embeddings, not normalised. <c>[N, L] → [N, embed]</c>.</summary>
    public Tensor EncodeText(Tensor tokens) => Text.forward(tokens);

    /// <summary>CLIP's <c>logits_per_image</c>: <c>exp(logit_scale)·cos(image, text)</c>, <c>[B, N]</c>.</summary>
    public override Tensor forward(Tensor image, Tensor tokens)
    {
        var img = nn.functional.normalize(EncodeImage(image), dim: -1);
        var txt = nn.functional.normalize(EncodeText(tokens), dim: -1);
        return logit_scale.exp() * img.matmul(txt.t());
    }
}
