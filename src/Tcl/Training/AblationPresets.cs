using Tcl.Grounding;

namespace Tcl.Training;

/// <summary>One ablation row of the CVPR'23 poster's ablation tables as the switches it sets.</summary>
/// <param name="Name">Row letter A–H.</param>
/// <param name="Description">What the row tests, in the poster's words.</param>
/// <param name="Losses">Loss terms and weights.</param>
/// <param name="Grounder">Grounder architecture (row A has no decoder).</param>
/// <param name="PosterVoc20">The poster's VOC20 mIoU for the row, for side-by-side tables.</param>
public sealed record AblationPreset(string Name, string Description, TclLossConfig Losses, GrounderConfig Grounder, double PosterVoc20);

/// <summary>
/// The ablation rows A–H (the CVPR'23 poster's ablation tables) as named values of the training configuration — not
/// code branches. Mapping: <c>TCL_v</c> = image-level TCL (0.1), <c>TCL_f</c> = feature-level TCL (0.1), <c>L_area</c>
/// = both area priors (0.4), <c>CL</c> = plain image-text InfoNCE between the average-pooled dense embedding and the
/// caption. The CL weight is not published; we use 0.1, the weight of each TCL term, so a row swaps one objective for
/// another at the same scale. TV smoothness (1.0) stays on in every row. B and D have the same switches in this mapping
/// (CL only, with decoder); the poster reports them in two tables (52.3 and 61.1), presumably from runs that differed
/// in something it does not state — both are kept so the tables can be reproduced row for row.
/// </summary>
public static class AblationPresets
{
    /// <summary>Weight of the CL term in rows A, B, D and G.</summary>
    public const double ContrastiveWeight = 0.1;

    private static readonly TclLossConfig ClOnly = new(ImageTcl: 0, FeatureTcl: 0, Area: 0, Contrastive: ContrastiveWeight);
    private static readonly GrounderConfig WithDecoder = new();

    /// <summary>Rows A–H in poster order.</summary>
    public static IReadOnlyList<AblationPreset> All { get; } =
    [
        new("A", "Baseline: MaskCLIP-style learnable grounder block, no decoder, image-text contrastive learning (CL)", ClOnly, new GrounderConfig(UseDecoder: false), 53.2),
        new("B", "A + grounding decoder (still CL only)", ClOnly, WithDecoder, 52.3),
        new("C", "B + TCL: the full method (TCL_v + TCL_f + L_area)", TclLossConfig.Tcl, WithDecoder, 77.4),
        new("D", "CL only, with decoder (losses table)", ClOnly, WithDecoder, 61.1),
        new("E", "TCL_v + L_area", new TclLossConfig(FeatureTcl: 0), WithDecoder, 74.6),
        new("F", "TCL_f + L_area", new TclLossConfig(ImageTcl: 0), WithDecoder, 76.0),
        new("G", "Full TCL + CL", TclLossConfig.Tcl with { Contrastive = ContrastiveWeight }, WithDecoder, 75.6),
        new("H", "TCL_v + TCL_f without the area priors", new TclLossConfig(Area: 0), WithDecoder, 67.1),
    ];

    /// <summary>The row named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Not one of A–H; the message lists them.</exception>
    public static AblationPreset Get(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown ablation '{name}': expected one of {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
}
