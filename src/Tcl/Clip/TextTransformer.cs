using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Clip;

/// <summary>
/// CLIP's text tower (official <c>sclip/model.py</c>, <c>CLIP.encode_text</c>): token + positional embedding, causal
/// transformer, <c>ln_final</c>, the feature at the first end-of-text token (the largest id), <c>@ text_projection</c>.
/// Field names equal OpenAI's top-level keys (<c>token_embedding.weight</c>, <c>positional_embedding</c>,
/// <c>transformer.*</c>, <c>ln_final.*</c>, <c>text_projection</c>), which are also the keys under TCL's
/// <c>clip_text_encoder.</c> prefix.
/// </summary>
public sealed class TextTransformer : nn.Module<Tensor, Tensor>
{
    public Embedding token_embedding;
    public Parameter positional_embedding;
    public ClipTransformer transformer;
    public LayerNorm ln_final;
    public Parameter text_projection;

    public TextTransformer(TextConfig config, int embedDim) : base("text")
    {
        Config = config;
        int width = config.Width;
        token_embedding = nn.Embedding(config.VocabSize, width);
        positional_embedding = new Parameter(empty(config.ContextLength, width));
        transformer = new ClipTransformer(width, config.Layers, config.Heads, AttentionMode.Causal);
        ln_final = nn.LayerNorm(width, eps: 1e-5);
        text_projection = new Parameter(empty(width, embedDim));
        RegisterComponents();
        InitializeLikeOpenAi();
    }

    /// <summary>The architecture this tower was built with.</summary>
    public TextConfig Config { get; }

    /// <summary>Text embeddings (not normalised). <c>[N, context] int64 → [N, embed]</c>.</summary>
    public override Tensor forward(Tensor tokens) => Encode(tokens, trimToLongest: false);

    /// <summary>Encodes token ids.</summary>
    /// <param name="tokens">Ids <c>[N, L]</c>, L ≤ context length, zero-padded after end-of-text.</param>
    /// <param name="trimToLongest">
    /// Run only up to the longest text's end-of-text token. Exact up to float summation order: with the causal
    /// mask, the pooled feature never depends on positions after it.
    /// </param>
    public Tensor Encode(Tensor tokens, bool trimToLongest)
    {
        if (tokens.dim() != 2 || tokens.shape[1] > Config.ContextLength)
            throw new ArgumentException($"Expected token ids [N, ≤{Config.ContextLength}], got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        var eot = tokens.argmax(-1);                                          // [N] first EOT (largest id)
        if (trimToLongest)
        {
            long length = eot.max().item<long>() + 1;
            tokens = tokens.narrow(1, 0, length);
        }
        long l = tokens.shape[1];
        var x = token_embedding.forward(tokens).add(positional_embedding.narrow(0, 0, l), Scalars.One); // [N, L, width]
        x = transformer.forward(x);
        x = ln_final.forward(x);
        var pooled = x[Scalars.Arange(x.shape[0], x.device), eot];            // [N, width]
        return pooled.matmul(text_projection);                                // [N, embed]
    }

    /// <summary>OpenAI's <c>initialize_parameters</c> for the text tower (used when training from scratch).</summary>
    private void InitializeLikeOpenAi()
    {
        int width = Config.Width, layers = Config.Layers;
        double projStd = Math.Pow(width, -0.5) * Math.Pow(2 * layers, -0.5);
        double attnStd = Math.Pow(width, -0.5);
        double fcStd = Math.Pow(2 * width, -0.5);
        using var _ = no_grad();
        nn.init.normal_(token_embedding.weight!, std: 0.02);
        nn.init.normal_(positional_embedding, std: 0.01);
        foreach (var block in transformer.resblocks) block.InitNormal(attnStd, projStd, fcStd);
        nn.init.normal_(text_projection, std: attnStd);
    }
}
