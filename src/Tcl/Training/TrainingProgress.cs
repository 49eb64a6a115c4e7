using Tcl.Data;
using Tcl.IO;

namespace Tcl.Training;

/// <summary>What the trainer reports after every step (the CLI draws a progress bar from it; notebooks plot it).</summary>
/// <param name="Step">The 0-based step just completed.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Loss">Total loss of the step.</param>
/// <param name="Terms">Every weighted loss term by name.</param>
/// <param name="LearningRate">LR used by the step.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="StepSeconds">Wall time of the step, data loading included.</param>
/// <param name="Data">Samples read and skipped so far.</param>
/// <param name="Checkpoint">Path of the checkpoint written after this step, if one was.</param>
/// <param name="Warnings">What went wrong with files since the last report and was carried on after (a shard that is
/// not a tar, undecodable images, stale temporaries removed); empty almost always.</param>
public sealed record TrainingProgress(
    long Step,
    long TotalSteps,
    double Loss,
    IReadOnlyDictionary<string, double> Terms,
    double LearningRate,
    double GradNorm,
    double StepSeconds,
    DataCounters Data,
    string? Checkpoint,
    IReadOnlyList<FileWarning>? Warnings = null)
{
    public IReadOnlyList<FileWarning> Warnings { get; init; } = Warnings ?? [];
}

/// <summary>How a call of <see cref="Trainer.Run"/> ended.</summary>
/// <param name="StepsCompleted">Steps completed in total (a resumed run counts the earlier ones too).</param>
/// <param name="LastLoss">Total loss of the last step run (NaN if none ran).</param>
/// <param name="LastCheckpoint">The newest checkpoint written (null if none).</param>
/// <param name="Cancelled">True when stopped by the cancellation token (after writing a checkpoint).</param>
/// <param name="Elapsed">Wall time of this call.</param>
public sealed record TrainingResult(long StepsCompleted, double LastLoss, string? LastCheckpoint, bool Cancelled, TimeSpan Elapsed);
