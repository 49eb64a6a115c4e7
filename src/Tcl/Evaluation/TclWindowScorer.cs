using Tcl.Clip;
using Tcl.Grounding;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Tcl.Torch;

namespace Tcl.Evaluation;

/// <summary>
/// Everything one <see cref="TclWindowScorer.Generate"/> call produced, for parity tests and visualisation.
/// B windows, K classes, h×w the patch grid, s the decoder's up-sampling factor (4), H×W the window.
/// </summary>
/// <param name="Masks">Final scores <c>[B, K, H, W]</c> (what <see cref="IWindowScorer.Score"/> returns).</param>
/// <param name="Similarity">Cosine similarity of the dense embedding with the classes <c>[B, K, s·h, s·w]</c> (official <c>simmap</c>).</param>
/// <param name="SoftMask">Grounder mask <c>σ(w·s + b)</c> before PAMR and kp <c>[B, K, s·h, s·w]</c>.</param>
/// <param name="PamrImage">Padded window resized to mask size (bilinear, align_corners) <c>[B, 3, s·h, s·w]</c>; null without PAMR.</param>
/// <param name="PamrOutput">Grounder mask after PAMR <c>[B, K, s·h, s·w]</c>; null without PAMR.</param>
/// <param name="KpMask">Frozen-CLIP mask <c>σ(10·(cos(P_clip(X), t) − 0.25))</c> at the patch grid <c>[B, K, h, w]</c>; null when kp is off.</param>
/// <param name="Padding">The zero padding applied to the windows.</param>
public sealed record TclWindowMasks(Tensor Masks, Tensor Similarity, Tensor SoftMask, Tensor? PamrImage, Tensor? PamrOutput,
    Tensor? KpMask, PatchPadding Padding);

/// <summary>
/// TCL's per-window inference, the official <c>generate_masks</c> (<c>models/tcl/tcl.py</c>), batched over windows: pad
/// to whole patches, one frozen CLIP pass with a self-only last block (giving both the grounder's input F10 and the
/// dense features X), grounder → soft masks, optional PAMR on the grounder masks, optional blend with the frozen-CLIP
/// (kp) mask, bilinear upsampling to the padded window and the padding cropped off.
/// </summary>
/// <remarks>
/// One tower pass serves both branches because a self-only last block leaves every earlier block's output — and so
/// F10 — unchanged (<c>ignore_last_attn</c> in the official <c>sclip/model.py</c> masks only the last block); the
/// official code likewise reads F10 from that pass. Runs under no-grad; the model's weights are only read.
/// </remarks>
public sealed class TclWindowScorer : IWindowScorer
{
    private readonly TclModel _model;

    /// <param name="model">Trained TCL (CLIP weights and the grounder loaded).</param>
    /// <param name="pamr">Refinement of the grounder masks; null for none.</param>
    /// <param name="kpWeight">Weight of the frozen-CLIP mask in the blend <c>kp·m' + (1 − kp)·m</c>; 0 turns the branch off.</param>
    public TclWindowScorer(TclModel model, Pamr? pamr, double kpWeight)
    {
        if (kpWeight < 0 || kpWeight > 1) throw new ArgumentOutOfRangeException(nameof(kpWeight), kpWeight, "The kp weight must be in [0, 1].");
        _model = model;
        Pamr = pamr;
        KpWeight = kpWeight;
    }

    /// <param name="model">Trained TCL.</param>
    /// <param name="pamr">Refine with PAMR.</param>
    /// <param name="kpWeight">Weight of the frozen-CLIP mask (0 = off; official 0.3).</param>
    /// <param name="pamrIterations">PAMR iterations (official 10).</param>
    /// <param name="pamrDilations">PAMR dilations (official 1, 2, 4, 8, 12, 24).</param>
    public TclWindowScorer(TclModel model, bool pamr, double kpWeight, int pamrIterations = 10, IReadOnlyList<int>? pamrDilations = null)
        : this(model, pamr ? new Pamr(pamrIterations, pamrDilations) : null, kpWeight) { }

    /// <param name="model">Trained TCL.</param>
    /// <param name="protocol">Takes <see cref="EvaluationProtocol.Pamr"/>, its iterations and dilations, and <see cref="EvaluationProtocol.KpWeight"/>.</param>
    public TclWindowScorer(TclModel model, EvaluationProtocol protocol)
        : this(model, protocol.Pamr ? Pamr.FromProtocol(protocol) : null, protocol.KpWeight) { }

    /// <summary>The refinement, or null.</summary>
    public Pamr? Pamr { get; }

    /// <summary>Blend weight of the frozen-CLIP mask.</summary>
    public double KpWeight { get; }

    /// <inheritdoc/>
    public string Name => "tcl";

    /// <inheritdoc/>
    public Tensor Score(Tensor windows, Tensor classEmbeddings)
    {
        using var scope = NewDisposeScope();
        var result = Generate(windows, classEmbeddings);
        return result.Masks.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>generate_masks</c> with its intermediates.
    /// </summary>
    /// <param name="windows">ImageNet-normalised windows <c>[B, 3, H, W]</c>, any H, W.</param>
    /// <param name="classEmbeddings">Class embeddings <c>[K, embed]</c> (normalised here, so raw text embeddings work too).</param>
    public TclWindowMasks Generate(Tensor windows, Tensor classEmbeddings)
    {
        if (windows.dim() != 4 || windows.shape[1] != 3)
            throw new ArgumentException($"Expected windows [B, 3, H, W], got [{string.Join(", ", windows.shape)}].", nameof(windows));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long height = windows.shape[2], width = windows.shape[3];
        var encoder = _model.clip_image_encoder;
        var padding = PatchPadding.For(height, width, encoder.clip_visual.Config.PatchSize);
        var padded = padding.Pad(windows);                                                   // [B, 3, Hp, Wp]

        // One frozen pass: F10 for the grounder, the self-only last block's tokens for the kp branch.
        var tower = encoder.clip_visual.EncodeTokens(padded,
            new VisionEncodeOptions(SelfOnlyLastBlock: true, TapBlock: _model.FreezeBlocks - 1));
        var input = new GrounderInput(tower.Tapped!, tower.GridHeight, tower.GridWidth);
        var (similarity, soft) = _model.masker.SoftMasks(input, classEmbeddings);           // [B, K, s·h, s·w]
        long maskH = soft.shape[2], maskW = soft.shape[3];

        var mask = soft;
        Tensor? pamrImage = null, pamrOutput = null, kpMask = null;
        if (Pamr is not null)
        {
            pamrImage = F.interpolate(padded, size: [maskH, maskW], mode: InterpolationMode.Bilinear, align_corners: true); // [B, 3, s·h, s·w]
            mask = pamrOutput = Pamr.Refine(pamrImage, mask);
        }
        if (KpWeight > 0)
        {
            var dense = VisionTransformer.ToFeatureMap(tower.Tokens, tower.GridHeight, tower.GridWidth); // X [B, width, h, w]
            kpMask = MaskClipWindowScorer.KpMask(encoder.clip_proj.ProjectFeatureMap(dense), classEmbeddings); // [B, K, h, w]
            var kpUp = F.interpolate(kpMask, size: [maskH, maskW], mode: InterpolationMode.Bilinear, align_corners: false);
            using var scalars = new ScalarScope();
            mask = kpUp.mul(scalars.Of(KpWeight)).add(mask.mul(scalars.Of(1.0 - KpWeight)), Scalars.One); // kp·kp_mask + (1 − kp)·mask
        }
        var masks = padding.UpsampleAndCrop(mask, height, width);                           // [B, K, H, W]
        return new TclWindowMasks(masks.MoveToOuterDisposeScope(), similarity.MoveToOuterDisposeScope(), soft.MoveToOuterDisposeScope(),
            pamrImage?.MoveToOuterDisposeScope(), pamrOutput?.MoveToOuterDisposeScope(), kpMask?.MoveToOuterDisposeScope(), padding);
    }
}
