using System.Globalization;
using Tcl.Training;

namespace Tcl.Cli.Progress;

/// <summary>
/// Draws training progress. On a terminal: one line redrawn in place (bar, step, loss, LR, s/step, ETA). Into a
/// file or a CI log: a plain line at most every <see cref="LogInterval"/> and at checkpoints, so logs stay short.
/// Synchronous (<see cref="IProgress{T}"/> without a synchronisation context), called on the training thread.
/// </summary>
public sealed class TrainingProgressBar(TextWriter output, bool interactive) : IProgress<TrainingProgress>
{
    private const int BarWidth = 24;
    private DateTime _lastLine = DateTime.MinValue;
    private double _smoothedSeconds = double.NaN;

    /// <summary>Time between plain log lines when not on a terminal.</summary>
    public TimeSpan LogInterval { get; init; } = TimeSpan.FromSeconds(10);

    public void Report(TrainingProgress p)
    {
        // Exponential moving average of the step time for a stable ETA (the first steps are slower).
        _smoothedSeconds = double.IsNaN(_smoothedSeconds) ? p.StepSeconds : 0.9 * _smoothedSeconds + 0.1 * p.StepSeconds;
        long done = p.Step + 1;
        var eta = TimeSpan.FromSeconds(_smoothedSeconds * (p.TotalSteps - done));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{done,7}/{p.TotalSteps}  loss {p.Loss:F4}  lr {p.LearningRate:E2}  |g| {p.GradNorm:F2}  {_smoothedSeconds:F2} s/step  ETA {Eta(eta)}");
        bool last = done == p.TotalSteps;
        if (interactive)
        {
            int filled = (int)(BarWidth * done / p.TotalSteps);
            output.Write($"\r[{new string('#', filled)}{new string('-', BarWidth - filled)}] {text}   ");
            if (p.Checkpoint is not null || last) output.WriteLine();
        }
        else if (last || p.Checkpoint is not null || p.Step == 0 || DateTime.UtcNow - _lastLine >= LogInterval)
        {
            output.WriteLine(text);
            _lastLine = DateTime.UtcNow;
        }
        if (p.Checkpoint is not null)
            output.WriteLine($"  checkpoint {p.Checkpoint}  (data: {p.Data})");
    }

    private static string Eta(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m" : $"{t.Minutes}m{t.Seconds:D2}s";
}
