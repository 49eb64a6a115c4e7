using System.Globalization;
using Tcl.Training;

namespace Tcl.Cli.Progress;

/// <summary>
/// Draws training progress (step, loss, LR, gradient norm, s/step, ETA) through a <see cref="ProgressLine"/>, a
/// line per checkpoint, and a <c>warning:</c> line per file the library skipped or cleaned up (to
/// <paramref name="warnings"/>, default <paramref name="output"/>). Synchronous (<see cref="IProgress{T}"/> without a
/// synchronisation context), called on the training thread.
/// </summary>
public sealed class TrainingProgressBar(TextWriter output, bool interactive, TextWriter? warnings = null) : IProgress<TrainingProgress>
{
    private readonly ProgressLine _line = new(output, interactive);
    private double _smoothedSeconds = double.NaN;
    private bool _barShown;

    public void Report(TrainingProgress p)
    {
        if (p.Warnings.Count > 0)
        {
            if (interactive && _barShown) output.WriteLine();   // keep the bar's line; the warning starts a new one
            foreach (var w in p.Warnings) (warnings ?? output).WriteLine($"warning: {w.Message}");
        }
        _barShown = true;
        // Exponential moving average of the step time for a stable ETA (the first steps are slower).
        _smoothedSeconds = double.IsNaN(_smoothedSeconds) ? p.StepSeconds : 0.9 * _smoothedSeconds + 0.1 * p.StepSeconds;
        long done = p.Step + 1;
        var eta = TimeSpan.FromSeconds(_smoothedSeconds * (p.TotalSteps - done));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{done,7}/{p.TotalSteps}  loss {p.Loss:F4}  lr {p.LearningRate:E2}  |g| {p.GradNorm:F2}  {_smoothedSeconds:F2} s/step  ETA {Eta(eta)}");
        _line.Show(done, p.TotalSteps, text, keep: done == p.TotalSteps || p.Checkpoint is not null);
        if (p.Checkpoint is not null)
            output.WriteLine($"  checkpoint {p.Checkpoint}  (data: {p.Data})");
    }

    private static string Eta(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : $"{t.Minutes}m{t.Seconds:D2}s";
}
