namespace Tcl.Grounding;

/// <summary>Which TCL loss terms are on and their weights (official <c>TCL.forward</c>; ablation switches of the
/// poster's table (b)).</summary>
/// <param name="ImageTcl">Weight of image-level TCL <c>ℓ_tcli</c> (0.1; 0 = off). Poster column TCL_v.</param>
/// <param name="FeatureTcl">Weight of feature-level TCL <c>ℓ_tclf</c> (0.1; 0 = off). Poster column TCL_f.</param>
/// <param name="Area">Weight of both area priors (0.4; 0 = off). Poster column L_area.</param>
/// <param name="PositiveAreaPrior">Target mean area of the positive masks (0.4, hard-coded in the official code).</param>
/// <param name="TotalVariation">Weight of both TV smoothness terms, on the dense embedding and on the masks (1.0).</param>
/// <param name="Contrastive">Weight of the plain image-text contrastive loss "CL" of the ablations (0 in TCL).</param>
public sealed record TclLossConfig(
    double ImageTcl = 0.1,
    double FeatureTcl = 0.1,
    double Area = 0.4,
    double PositiveAreaPrior = 0.4,
    double TotalVariation = 1.0,
    double Contrastive = 0.0)
{
    /// <summary>The released TCL objective.</summary>
    public static TclLossConfig Tcl { get; } = new();
}

/// <summary>The grounder's architecture (official <c>models/tcl/masker.py</c>, <c>decoders.py</c>,
/// <c>configs/tcl.yml</c>).</summary>
/// <param name="FreezeBlocks">CLIP blocks that stay frozen and shared (<c>ie_freeze</c>: 11 for ViT-B/16 = layers − 1);
/// the grounder is a trainable copy of the blocks from this index on, the last one with self-only attention.</param>
/// <param name="UseDecoder">The gated up-sampling decoder (false = ablation row A: patch-resolution embedding).</param>
/// <param name="DecoderStages">Gated residual ×2 up-sampling stages (2 → ×4).</param>
/// <param name="KernelSize">Decoder convolution kernel (3).</param>
/// <param name="InitW">Initial Sim2Mask scale w (10).</param>
/// <param name="InitB">Initial Sim2Mask bias b (−2.5).</param>
/// <param name="GumbelTau">Temperature of the hard Gumbel-sigmoid mask (1).</param>
public sealed record GrounderConfig(
    int? FreezeBlocks = null,
    bool UseDecoder = true,
    int DecoderStages = 2,
    int KernelSize = 3,
    double InitW = 10.0,
    double InitB = -2.5,
    double GumbelTau = 1.0);
