namespace Tcl.Training;

/// <summary>How the <see cref="Trainer"/> optimises (official <c>main.py</c>, <c>utils/optimizer.py</c>); what it
/// trains and on which data is configured elsewhere.</summary>
/// <param name="Steps">Optimiser updates to run (the official run does 50,001: steps 0…50,000).</param>
/// <param name="BatchSize">Images per step; scales the LR (<see cref="LrScheduleConfig.ReferenceBatch"/>).</param>
/// <param name="Schedule">Warm-up + cosine LR schedule.</param>
/// <param name="Optimizer">AdamW hyper-parameters.</param>
/// <param name="GradClip">Global L2 norm the gradients are clipped to (5.0; 0 = no clipping).</param>
/// <param name="OutputDir">Folder of the checkpoints and the metrics log (<c>metrics.jsonl</c>).</param>
/// <param name="CheckpointEvery">Steps between checkpoints (the last step is always checkpointed; 0 = only the last).</param>
/// <param name="KeepCheckpoints">Most recent checkpoints kept; older ones are deleted after a newer one is safely written (0 = keep all).</param>
public sealed record TrainerConfig(
    long Steps = 50_001,
    int BatchSize = 64,
    LrScheduleConfig? Schedule = null,
    AdamWConfig? Optimizer = null,
    double GradClip = 5.0,
    string OutputDir = "runs/tcl",
    int CheckpointEvery = 5_000,
    int KeepCheckpoints = 3)
{
    public LrScheduleConfig Schedule { get; init; } = Schedule ?? LrScheduleConfig.Official;
    public AdamWConfig Optimizer { get; init; } = Optimizer ?? new AdamWConfig();
}
