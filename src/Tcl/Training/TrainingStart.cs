namespace Tcl.Training;

/// <summary>How a training run treats its output folder when it starts.</summary>
/// <param name="ResumeFrom">A checkpoint file, or a folder whose newest intact checkpoint to continue from; null = a
/// fresh run, which is refused when the output folder already holds a run (unless <paramref name="Overwrite"/>).</param>
/// <param name="Overwrite">Fresh run only: delete the earlier run's checkpoints and metrics log first.</param>
/// <param name="AllowConfigChange">Resume only: continue although fields other than those of
/// <see cref="RunConfigChanges.Resumable"/> differ from the checkpoint's run config (each is reported as a warning).</param>
public sealed record TrainingStart(string? ResumeFrom = null, bool Overwrite = false, bool AllowConfigChange = false)
{
    /// <summary>A fresh run into an output folder that holds no run.</summary>
    public static TrainingStart Fresh { get; } = new();

    /// <summary>Continue from <paramref name="path"/> (a checkpoint file or a run folder).</summary>
    public static TrainingStart Resume(string path, bool allowConfigChange = false) => new(path, AllowConfigChange: allowConfigChange);
}
