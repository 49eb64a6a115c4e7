using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Tcl.Torch;

namespace Tcl.Clip;

/// <summary>What <see cref="VisionTransformer.EncodeTokens"/> should do beyond the plain forward pass.</summary>
/// <param name="SelfOnlyLastBlock">MaskCLIP-style last block (official <c>ignore_last_attn</c> in
/// <c>sclip/model.py</c>): each token attends only to itself.</param>
/// <param name="TapBlock">Return the output of this block too (TCL's grounder reads block layers−2).</param>
/// <param name="StopAfterTap">Do not run the blocks after <paramref name="TapBlock"/>.</param>
public sealed record VisionEncodeOptions(bool SelfOnlyLastBlock = false, int? TapBlock = null, bool StopAfterTap = false);

/// <summary>Token outputs of the image tower, batch-first, before <c>ln_post</c>.</summary>
/// <param name="Tokens">Output of the last block run, <c>[B, 1 + h·w, width]</c>; token 0 is the class token.</param>
/// <param name="Tapped">Output of the tapped block, <c>[B, 1 + h·w, width]</c>, or null.</param>
/// <param name="GridHeight">Patch rows h.</param>
/// <param name="GridWidth">Patch columns w.</param>
public sealed record VisionTokens(Tensor Tokens, Tensor? Tapped, int GridHeight, int GridWidth);

/// <summary>
/// CLIP's ViT image tower (official <c>sclip/model.py</c>, <c>VisionTransformer</c>) with OpenAI's parameter names
/// (<c>conv1</c>, <c>class_embedding</c>, <c>positional_embedding</c>, <c>ln_pre</c>, <c>transformer</c>,
/// <c>ln_post</c>, <c>proj</c>). Accepts any input whose sides are multiples of the patch size, square or not: the
/// positional embedding is resized bicubically. <c>forward</c> gives CLIP's global image embedding <c>[B, embed]</c>.
/// </summary>
public sealed class VisionTransformer : nn.Module<Tensor, Tensor>
{
    public Conv2d conv1;
    public Parameter class_embedding;
    public Parameter positional_embedding;
    public LayerNorm ln_pre;
    public ClipTransformer transformer;
    public LayerNorm? ln_post;
    public Parameter? proj;

    /// <param name="config">The architecture.</param>
    /// <param name="embedDim">Width of the joint embedding (columns of <c>proj</c>).</param>
    /// <param name="withHead">
    /// Keep <c>ln_post</c> and <c>proj</c> inside the tower (OpenAI's layout). TCL moves them into a separate
    /// <see cref="ClipProjection"/> (<c>clip_image_encoder.clip_proj</c>), so its tower is built without them.
    /// </param>
    public VisionTransformer(VisionConfig config, int embedDim, bool withHead = true) : base("visual")
    {
        if (config.ImageResolution % config.PatchSize != 0)
            throw new ArgumentException($"Image resolution {config.ImageResolution} is not a multiple of the patch size {config.PatchSize}.", nameof(config));
        Config = config;
        int width = config.Width, grid = config.GridSize;
        using var scalars = new ScalarScope();
        var scale = scalars.Of(Math.Pow(width, -0.5));
        conv1 = nn.Conv2d(3, width, config.PatchSize, stride: config.PatchSize, bias: false);
        class_embedding = new Parameter(randn(width).mul_(scale));
        positional_embedding = new Parameter(randn(grid * grid + 1, width).mul_(scale));
        ln_pre = nn.LayerNorm(width, eps: 1e-5);
        transformer = new ClipTransformer(width, config.Layers, config.Heads, AttentionMode.Full);
        if (withHead)
        {
            ln_post = nn.LayerNorm(width, eps: 1e-5);
            proj = new Parameter(randn(width, embedDim).mul_(scale));
        }
        RegisterComponents();
    }

    /// <summary>The architecture this tower was built with.</summary>
    public VisionConfig Config { get; }

    /// <summary>CLIP's global image embedding: class token → <c>ln_post</c> → <c>@ proj</c>. <c>[B,3,H,W] → [B, embed]</c>.</summary>
    public override Tensor forward(Tensor image) => Pool(EncodeTokens(image).Tokens);

    /// <summary>Runs the tower up to the tokens (no <c>ln_post</c>), with TCL's options.</summary>
    /// <param name="image">Normalised images <c>[B, 3, H, W]</c>, H and W multiples of the patch size.</param>
    /// <param name="options">Self-only last block, block tap, early stop; null = plain CLIP.</param>
    public VisionTokens EncodeTokens(Tensor image, VisionEncodeOptions? options = null)
    {
        options ??= new VisionEncodeOptions();
        if (image.dim() != 4 || image.shape[1] != 3)
            throw new ArgumentException($"Expected images [B, 3, H, W], got [{string.Join(", ", image.shape)}].", nameof(image));
        long height = image.shape[2], widthPx = image.shape[3];
        int patch = Config.PatchSize;
        if (height % patch != 0 || widthPx % patch != 0)
            throw new ArgumentException($"Image size {height}×{widthPx} is not a multiple of the patch size {patch}; pad it first.", nameof(image));
        int h = (int)(height / patch), w = (int)(widthPx / patch);

        var x = conv1.forward(image);                                 // [B, width, h, w]
        x = x.flatten(2).transpose(1, 2);                             // [B, h·w, width], row-major patches
        var cls = class_embedding.to(x.dtype).expand(x.shape[0], 1, -1); // [B, 1, width]
        x = cat(new[] { cls, x }, 1);                                 // [B, 1 + h·w, width]
        x = x.add(PositionalEmbedding(h, w).to(x.dtype), Scalars.One);
        x = ln_pre.forward(x);
        var tokens = transformer.Run(x, options.SelfOnlyLastBlock, options.TapBlock, out var tapped, options.StopAfterTap);
        return new VisionTokens(tokens, tapped, h, w);
    }

    /// <summary>
    /// Positional embedding for an h×w patch grid, <c>[1 + h·w, width]</c>: the class row, then the native grid resized
    /// bicubically (align_corners=false, a = −0.75, no antialias) as the official <c>interpolate_pos_emb</c>.
    /// </summary>
    public Tensor PositionalEmbedding(int h, int w)
    {
        int grid = Config.GridSize;
        if (h == grid && w == grid) return positional_embedding;
        long width = positional_embedding.shape[1];
        var clsRow = positional_embedding.narrow(0, 0, 1);                                  // [1, width]
        var gridRows = positional_embedding.narrow(0, 1, grid * grid)
            .reshape(1, grid, grid, width).permute(0, 3, 1, 2);                             // [1, width, g, g]
        var resized = F.interpolate(gridRows, size: new long[] { h, w }, mode: InterpolationMode.Bicubic, align_corners: false);
        var flat = resized.permute(0, 2, 3, 1).reshape(h * w, width);                      // [h·w, width]
        return cat(new[] { clsRow, flat }, 0);
    }

    /// <summary>Class token → <c>ln_post</c> → <c>@ proj</c>. <c>[B, L, width] → [B, embed]</c>.</summary>
    public Tensor Pool(Tensor tokens) => Head.forward(tokens.select(1, 0));

    /// <summary>Patch tokens as a feature map (class token dropped). <c>[B, 1 + h·w, width] → [B, width, h, w]</c>.</summary>
    public static Tensor ToFeatureMap(Tensor tokens, int h, int w)
    {
        long b = tokens.shape[0], width = tokens.shape[2];
        return tokens.narrow(1, 1, (long)h * w).transpose(1, 2).reshape(b, width, h, w);
    }

    /// <summary><c>ln_post</c> and <c>proj</c> per pixel of a feature map. <c>[B, width, h, w] → [B, embed, h, w]</c>.</summary>
    public Tensor ProjectFeatureMap(Tensor features) => Head.ProjectFeatureMap(features);

    /// <summary><c>ln_post</c> + <c>proj</c> as one function (shares this tower's parameters).</summary>
    private ClipProjection Head => _head ??= ln_post is not null && proj is not null
        ? ClipProjection.Over(ln_post, proj)
        : throw new InvalidOperationException("This image tower was built without ln_post/proj (TCL keeps them in clip_proj).");

    private ClipProjection? _head;
}
