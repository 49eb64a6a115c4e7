namespace Tcl.Training;

/// <summary>
/// The official learning-rate schedule (<c>build_scheduler</c> in <c>utils/lr_scheduler.py</c>, LR scaling in
/// <c>main.py</c>): the base LRs are per 4,096 images and scale linearly with the global batch; a linear warm-up from
/// <c>WarmupStartFactor</c>·lr to lr over <c>WarmupSteps</c> (PyTorch <c>LinearLR</c>), then a cosine from lr to the
/// minimum over the remaining steps (<c>CosineAnnealingLR</c>), stepped after every optimiser update. The official
/// config: base 3e-4, min 4e-5, warm-up 15,000 of 50,000 steps, which at the released global batch 1,024 gives 7.5e-5 →
/// 1e-5.
/// </summary>
/// <param name="BaseLr">Peak LR per 4,096 images (3e-4).</param>
/// <param name="MinLr">Final LR per 4,096 images (4e-5).</param>
/// <param name="WarmupSteps">Linear warm-up steps (15,000).</param>
/// <param name="TotalSteps">Steps over which the schedule is defined (50,000); the cosine ends there.</param>
/// <param name="WarmupStartFactor">LR factor at step 0 (1e-4).</param>
/// <param name="ReferenceBatch">The batch the base LRs refer to (4,096).</param>
public sealed record LrScheduleConfig(
    double BaseLr = 3e-4,
    double MinLr = 4e-5,
    long WarmupSteps = 15_000,
    long TotalSteps = 50_000,
    double WarmupStartFactor = 1e-4,
    int ReferenceBatch = 4096)
{
    /// <summary>The official TCL schedule.</summary>
    public static LrScheduleConfig Official { get; } = new();
}

/// <summary>The schedule of <see cref="LrScheduleConfig"/> for one global batch size, in closed form.</summary>
public sealed class LrSchedule
{
    /// <param name="config">Base LRs and step counts.</param>
    /// <param name="globalBatch">Images per optimiser step over all processes (64 × GPUs officially).</param>
    public LrSchedule(LrScheduleConfig config, int globalBatch)
    {
        if (globalBatch <= 0) throw new ArgumentOutOfRangeException(nameof(globalBatch), globalBatch, "The global batch must be positive.");
        if (config.WarmupSteps < 0 || config.TotalSteps <= config.WarmupSteps)
            throw new ArgumentException($"The schedule needs 0 ≤ WarmupSteps < TotalSteps, got {config.WarmupSteps} and {config.TotalSteps}.", nameof(config));
        Config = config;
        double scale = (double)globalBatch / config.ReferenceBatch;
        PeakLr = config.BaseLr * scale;
        FinalLr = config.MinLr * scale;
    }

    public LrScheduleConfig Config { get; }

    /// <summary>The LR at the end of warm-up (7.5e-5 at batch 1,024).</summary>
    public double PeakLr { get; }

    /// <summary>The LR at <c>TotalSteps</c> (1e-5 at batch 1,024).</summary>
    public double FinalLr { get; }

    /// <summary>
    /// The LR used by optimiser step <paramref name="step"/> (0-based). Past <c>TotalSteps</c> it stays at the final
    /// LR (the official loop runs one step past the schedule, step 50,000, which is exactly the minimum).
    /// </summary>
    public double At(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "Steps start at 0.");
        long warmup = Config.WarmupSteps;
        if (step < warmup)
            return PeakLr * (Config.WarmupStartFactor + (1 - Config.WarmupStartFactor) * step / warmup);
        if (step >= Config.TotalSteps) return FinalLr;
        double progress = (double)(step - warmup) / (Config.TotalSteps - warmup);
        return FinalLr + (PeakLr - FinalLr) * (1 + Math.Cos(Math.PI * progress)) / 2;
    }
}
