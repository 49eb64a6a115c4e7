namespace Tcl.Demo;

/// <summary>One row of an ablation study: a preset (or the training-free baseline) trained and evaluated on the synthetic world.</summary>
/// <param name="Name">Preset letter A–H, or <see cref="AblationRow.MaskClip"/> for the training-free reference row.</param>
/// <param name="Description">What the row tests.</param>
/// <param name="PosterVoc20">The poster's VOC20 mIoU for the row (null for the reference row).</param>
/// <param name="MeanIoU">mIoU (%) per synthetic benchmark key, in study order.</param>
/// <param name="Steps">TCL training steps completed (0 for the reference row).</param>
/// <param name="FinalLoss">Loss of the last training step (null for the reference row).</param>
/// <param name="TrainSeconds">Wall time of the training (0 when reused or untrained).</param>
public sealed record AblationRow(string Name, string Description, double? PosterVoc20, IReadOnlyDictionary<string, double> MeanIoU,
    long Steps, double? FinalLoss, double TrainSeconds)
{
    /// <summary>Name of the training-free MaskCLIP reference row.</summary>
    public const string MaskClip = "MaskCLIP";

    /// <summary>The study's headline number: the mean of the per-benchmark mIoU (NaN benchmarks left out).</summary>
    public double Mean
    {
        get
        {
            var present = MeanIoU.Values.Where(v => !double.IsNaN(v)).ToList();
            return present.Count == 0 ? double.NaN : Math.Round(present.Average(), 2);
        }
    }
}
