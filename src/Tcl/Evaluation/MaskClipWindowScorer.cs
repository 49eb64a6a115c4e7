using Tcl.Grounding;
using TorchSharp;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Evaluation;

/// <summary>
/// The training-free MaskCLIP baseline (its rows in paper Table 2) as a window scorer: frozen CLIP with a self-only
/// last block, dense features projected per pixel by CLIP's <c>ln_post</c> + <c>proj</c>, cosine similarity with the
/// class embeddings. It is exactly TCL's kp branch without the grounder, so the same weights evaluate it.
/// </summary>
/// <remarks>
/// MaskCLIP itself argmaxes raw similarities; the segmenter, however, needs probabilities that compete with a
/// constant background score (official <c>TCLSegInference.encode_decode</c>). We use the kp branch's fixed calibration
/// <c>σ(10·(s − 0.25))</c> — the function TCL's own inference applies to these very similarities, and the grounder's
/// mask at initialisation (<c>w₀ = 10, b₀ = −2.5</c>) — so the baseline's scores live on TCL's scale and the background
/// thresholds of the protocol apply unchanged. Being monotone, it does not change the argmax among classes.
/// Padding and upsampling follow TCL's <c>generate_masks</c> (<see cref="PatchPadding"/>).
/// </remarks>
public sealed class MaskClipWindowScorer : IWindowScorer
{
    private static readonly Scalar KpShift = Scalars.Pinned(0.25);
    private static readonly Scalar KpScale = Scalars.Pinned(10.0);

    private readonly ClipImageEncoder _encoder;

    /// <param name="encoder">TCL's frozen CLIP image side (tower without head plus <c>clip_proj</c>).</param>
    public MaskClipWindowScorer(ClipImageEncoder encoder) => _encoder = encoder;

    /// <param name="model">A TCL model; only its frozen CLIP image encoder is used.</param>
    public MaskClipWindowScorer(TclModel model) : this(model.clip_image_encoder) { }

    /// <inheritdoc/>
    public string Name => "maskclip";

    /// <inheritdoc/>
    public Tensor Score(Tensor windows, Tensor classEmbeddings)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long height = windows.shape[2], width = windows.shape[3];
        var padding = PatchPadding.For(height, width, _encoder.clip_visual.Config.PatchSize);
        var (_, projected) = _encoder.DenseFeatures(padding.Pad(windows));  // [B, embed, h, w]
        var masks = KpMask(projected, classEmbeddings);                        // [B, K, h, w]
        return padding.UpsampleAndCrop(masks, height, width).MoveToOuterDisposeScope(); // [B, K, H, W]
    }

    /// <summary>
    /// TCL's kp-branch mask (official <c>kp_branch</c> before its resize): <c>σ((cos(X', t) − 0.25)·10)</c>.
    /// </summary>
    /// <param name="projected">Projected frozen dense features <c>P_clip(X)</c>, <c>[B, embed, h, w]</c>.</param>
    /// <param name="classEmbeddings">Class embeddings <c>[K, embed]</c>; normalised here.</param>
    /// <returns><c>[B, K, h, w]</c> in (0, 1).</returns>
    public static Tensor KpMask(Tensor projected, Tensor classEmbeddings)
    {
        using var scope = NewDisposeScope();
        return Masker.Similarity(projected, classEmbeddings).sub(KpShift).mul(KpScale).sigmoid().MoveToOuterDisposeScope();
    }
}
