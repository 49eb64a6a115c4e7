namespace Tcl.Training;

/// <summary>
/// A resume was refused because the run's config differs from the one stored in the checkpoint in fields that change
/// what is trained (batch, learning rate, losses, data …). Nothing was restored.
/// </summary>
public sealed class RunConfigChangedException(string checkpoint, IReadOnlyList<RunConfigChange> changes)
    : Exception(
        $"{checkpoint}: the run's config differs from the one this checkpoint was trained with in " +
        $"{string.Join("; ", changes.Select(c => c.ToString()))}. Resuming would silently mix two recipes in one run: " +
        $"restore those values, start a fresh run in a new output_dir, or continue anyway (--allow-config-change; in code " +
        $"TrainingStart.Resume(path, allowConfigChange: true)) " +
        $"(fields that may change freely: {string.Join(", ", RunConfigChanges.Resumable)}).")
{
    /// <summary>The checkpoint resumed from.</summary>
    public string Checkpoint { get; } = checkpoint;

    /// <summary>The fields that differ.</summary>
    public IReadOnlyList<RunConfigChange> Changes { get; } = changes;
}
