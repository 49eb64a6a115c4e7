using Tcl.Clip;
using Tcl.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Tcl.Torch;

namespace Tcl.Grounding;

/// <summary>One training forward pass: the masks and every weighted loss term (the official <c>TCL.forward</c>'s return
/// dict).</summary>
/// <param name="Masks">The grounding masks and dense embedding.</param>
/// <param name="TextEmbedding">Frozen CLIP text embeddings of the captions <c>[B, embed]</c>.</param>
/// <param name="MaskedImageEmbedding">CLIP embedding of each image masked by its hard positive mask <c>[B, embed]</c> (null when image-level TCL is off).</param>
/// <param name="Terms">Weighted terms by the official names (<c>tcli_loss</c>, <c>tclf_loss</c>, <c>area_loss</c>,
/// <c>neg_area_loss</c>, <c>tv_img_loss</c>, <c>tv_mask_loss</c>, and <c>cl_loss</c> for the ablations), enabled ones only.</param>
/// <param name="Total">Sum of the terms.</param>
public sealed record TclStepOutput(GroundingMasks Masks, Tensor TextEmbedding, Tensor? MaskedImageEmbedding,
    IReadOnlyDictionary<string, Tensor> Terms, Tensor Total);

/// <summary>
/// TCL (official <c>models/tcl/tcl.py</c>, class <c>TCL</c>): frozen CLIP towers (<c>clip_text_encoder</c>,
/// <c>clip_image_encoder</c>), the trainable grounder (<c>masker</c>) and the two learnable loss temperatures
/// (<c>tcli_loss</c>, <c>tclf_loss</c>). State-dict keys equal the official checkpoint's, so the released TCL weights
/// load on top of CLIP weights by name.
/// </summary>
public sealed class TclModel : nn.Module<Tensor, Tensor, Tensor>
{
    public TextTransformer clip_text_encoder;
    public ClipImageEncoder clip_image_encoder;
    public Masker masker;
    public InfoNce tcli_loss;
    public ExtendedInfoNce tclf_loss;
    public InfoNce? cl_loss;

    /// <param name="clip">The CLIP architecture (the tiny fixture model and ViT-B/16 are two values).</param>
    /// <param name="grounder">Grounder architecture; <c>FreezeBlocks</c> defaults to layers − 1.</param>
    /// <param name="losses">Which loss terms are on (a <c>cl_loss</c> temperature exists only when CL is on).</param>
    public TclModel(ClipConfig clip, GrounderConfig? grounder = null, TclLossConfig? losses = null) : base("tcl")
    {
        Clip = clip;
        Grounder = grounder ?? new GrounderConfig();
        Losses = losses ?? TclLossConfig.Tcl;
        int layers = clip.Vision.Layers, width = clip.Vision.Width;
        FreezeBlocks = Grounder.FreezeBlocks ?? layers - 1;
        if (FreezeBlocks < 1 || FreezeBlocks >= layers)
            throw new ArgumentException($"FreezeBlocks must be in 1..{layers - 1} for a {layers}-layer tower, got {FreezeBlocks}.", nameof(grounder));

        clip_text_encoder = new TextTransformer(clip.Text, clip.EmbedDim);
        clip_image_encoder = new ClipImageEncoder(clip.Vision, clip.EmbedDim);
        var blocks = Enumerable.Range(FreezeBlocks, layers - FreezeBlocks)
            .Select(i => (i, new ResidualAttentionBlock(width, clip.Vision.Heads))).ToList();
        var decoder = Grounder.UseDecoder ? new GatedDecoder(width, Grounder.DecoderStages, Grounder.KernelSize) : null;
        masker = new Masker(
            new GrounderImageEncoder(new GrounderBackbone(blocks), new DenseEmbeddingHead(decoder, new ClipProjection(width, clip.EmbedDim))),
            new Sim2Mask(Grounder.InitW, Grounder.InitB, Grounder.GumbelTau));
        tcli_loss = new InfoNce("tcli_loss");
        tclf_loss = new ExtendedInfoNce("tclf_loss");
        if (Losses.Contrastive > 0) cl_loss = new InfoNce("cl_loss");
        RegisterComponents();
        CopyGrounderFromClip();
        SetDecoderOnlyPhase(false);
    }

    public ClipConfig Clip { get; }
    public GrounderConfig Grounder { get; }
    public TclLossConfig Losses { get; }

    /// <summary>Index of the first grounder block (<c>ie_freeze</c>); the grounder reads the output of the block before it.</summary>
    public int FreezeBlocks { get; }

    /// <summary>State-dict prefix of the grounder's transformer blocks.</summary>
    public const string GrounderBlocksPrefix = "masker.image_encoder.backbone.";

    public override Tensor forward(Tensor image, Tensor tokens) =>
        throw new NotSupportedException("Use TrainingStep(image, tokens, noise) for training; the Segmenter for inference.");

    /// <summary>
    /// Initialises the grounder as the official code does: its blocks are copies of the frozen tower's blocks from
    /// <see cref="FreezeBlocks"/> on and <c>image_proj</c> a copy of <c>clip_proj</c>. Call after loading CLIP weights.
    /// </summary>
    public void CopyGrounderFromClip()
    {
        using var _ = no_grad();
        var all = state_dict();
        foreach (var (name, tensor) in all)
        {
            string? source = null;
            if (name.StartsWith(GrounderBlocksPrefix, StringComparison.Ordinal))
                source = "clip_image_encoder.clip_visual." + name[GrounderBlocksPrefix.Length..];
            else if (name.StartsWith("masker.image_encoder.decoder.image_proj.", StringComparison.Ordinal))
                source = "clip_image_encoder.clip_proj." + name["masker.image_encoder.decoder.image_proj.".Length..];
            if (source is not null) tensor.copy_(all[source]);
        }
    }

    /// <summary>
    /// Sets trainability for a phase (official <c>TCL.set_train</c>, <c>ust_steps</c>): CLIP always frozen; decoder,
    /// image_proj, Sim2Mask and the temperatures always trainable; the grounder blocks only after the decoder-only
    /// phase.
    /// </summary>
    public void SetDecoderOnlyPhase(bool decoderOnly)
    {
        foreach (var (name, p) in named_parameters())
        {
            bool trainable = !name.StartsWith("clip_", StringComparison.Ordinal)
                             && !(decoderOnly && name.StartsWith(GrounderBlocksPrefix, StringComparison.Ordinal));
            p.requires_grad = trainable;
        }
        DecoderOnly = decoderOnly;
    }

    /// <summary>
    /// Recompute the image-level TCL pass through frozen CLIP during backward instead of keeping its activations
    /// (same numbers). Off by default: at ViT-B/16, batch 8, 224² the pass keeps ~0.75 GB at the end of the forward,
    /// but the step's peak comes later, in the decoder's backward, after that pass's activations are freed, so
    /// recomputing does not lower the peak measurably (3.8–3.9 GB resident either way) and costs one more tower
    /// forward (~1–2 s of a ~19–20 s step).
    /// </summary>
    public bool RecomputeMaskedImagePass { get; set; }

    /// <summary>
    /// Winograd tile for the grounding decoder's 3×3 convolutions under <c>no_grad</c> (evaluation); default F4,
    /// null = exact <c>conv2d</c>. Training (grad enabled) always uses <c>conv2d</c>. See <see cref="GatedDecoder.FastInference"/>.
    /// </summary>
    public WinogradTile? FastDecoderInference
    {
        get => masker.image_encoder.decoder.decoder?.FastInference;
        set { if (masker.image_encoder.decoder.decoder is { } d) d.FastInference = value; }
    }

    /// <summary>Drops derived inference caches (the decoder's Winograd weights); the weight-loading paths call it.</summary>
    public void ResetInferenceCaches() => masker.image_encoder.decoder.decoder?.ResetFastCache();

    /// <summary>True while the grounder blocks are frozen.</summary>
    public bool DecoderOnly { get; private set; }

    /// <summary>Parameters that train in some phase (everything but CLIP), by state-dict name.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> LearnableParameters() =>
        named_parameters().Where(p => !p.name.StartsWith("clip_", StringComparison.Ordinal));

    /// <summary>
    /// One training forward pass with every enabled loss term (official <c>TCL.forward</c>). CLIP runs frozen without
    /// gradients, except the image-level TCL pass, whose gradient flows through frozen CLIP into the hard mask.
    /// </summary>
    /// <param name="image">ImageNet-normalised images <c>[B, 3, H, W]</c>.</param>
    /// <param name="tokens">Caption token ids <c>[B, 77]</c>; caption b belongs to image b.</param>
    /// <param name="noise">Gumbel noise for the hard masks.</param>
    public TclStepOutput TrainingStep(Tensor image, Tensor tokens, IGumbelNoise noise)
    {
        GrounderInput input;
        Tensor text;
        using (no_grad())
        {
            input = clip_image_encoder.Tap(image, FreezeBlocks - 1);
            text = clip_text_encoder.Encode(tokens, trimToLongest: true);              // [B, embed] (causal: exact)
        }
        using var scalars = new ScalarScope();                                              // the loss weights
        bool needHard = Losses.ImageTcl > 0;
        var masks = masker.Ground(input, text, needHard ? noise : null);
        var terms = new Dictionary<string, Tensor>();
        Tensor? maskedEmbedding = null;

        if (Losses.ImageTcl > 0)
        {
            // Nearest up-sampling of the hard positive mask to the image; masked-out pixels become 0 (the mean colour).
            var mask = F.interpolate(masks.Positive!, size: new[] { image.shape[2], image.shape[3] }, mode: InterpolationMode.Nearest);
            var masked = mask * image;
            maskedEmbedding = RecomputeMaskedImagePass && masked.requires_grad
                ? RecomputedImageEmbedding.Apply(masked, clip_image_encoder)              // [B, embed]
                : clip_image_encoder.forward(masked);
            terms["tcli_loss"] = tcli_loss.forward(maskedEmbedding, text).mul(scalars.Of(Losses.ImageTcl));
        }
        if (Losses.FeatureTcl > 0)
            terms["tclf_loss"] = tclf_loss.forward(ExtendedInfoNce.MaskPool(masks.Embedding, masks.SoftAll), text).mul(scalars.Of(Losses.FeatureTcl));
        if (Losses.Area > 0)
        {
            var area = scalars.Of(Losses.Area);
            terms["area_loss"] = MaskPriors.Area(masks.SoftPositive, Losses.PositiveAreaPrior).mul(area);
            terms["neg_area_loss"] = MaskPriors.Area(masks.SoftNegative, 0.0).mul(area);
        }
        if (Losses.TotalVariation > 0)
        {
            var tv = scalars.Of(Losses.TotalVariation);
            terms["tv_img_loss"] = MaskPriors.TotalVariation(masks.Embedding).mul(tv);
            terms["tv_mask_loss"] = MaskPriors.TotalVariation(masks.SoftAll).mul(tv);
        }
        if (cl_loss is not null)
        {
            // Ablation "CL": the dense embedding average-pooled over all positions vs the caption (poster table (b),
            // column CL).
            var pooled = masks.Embedding.mean(new long[] { 2, 3 });                    // [B, embed]
            terms["cl_loss"] = cl_loss.forward(pooled, text).mul(scalars.Of(Losses.Contrastive));
        }
        if (terms.Count == 0) throw new InvalidOperationException("Every loss term is switched off.");
        var total = terms.Values.Aggregate((a, b) => a.add(b, Scalars.One));
        return new TclStepOutput(masks, text, maskedEmbedding, terms, total);
    }
}
