using System.Globalization;
using Tcl.Evaluation;

namespace Tcl.Cli.Progress;

/// <summary>Evaluation progress: a bar redrawn in place on a terminal, a line every 10 s (and at the end) in logs.</summary>
public sealed class EvaluationProgressBar(TextWriter output, string dataset, bool interactive) : IProgress<EvaluationProgress>
{
    private const int BarWidth = 24;
    private DateTime _lastLine = DateTime.MinValue;
    private double _seconds;

    public void Report(EvaluationProgress p)
    {
        _seconds += p.ImageSeconds;
        double perImage = _seconds / p.Done;
        var eta = TimeSpan.FromSeconds(perImage * (p.Total - p.Done));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{dataset} {p.Done,6}/{p.Total}  mIoU so far {p.RunningMeanIoU * 100:F2}  {perImage:F2} s/image  ETA {(int)eta.TotalMinutes}m{eta.Seconds:D2}s");
        bool last = p.Done == p.Total;
        if (interactive)
        {
            int filled = BarWidth * p.Done / Math.Max(1, p.Total);
            output.Write($"\r[{new string('#', filled)}{new string('-', BarWidth - filled)}] {text}   ");
            if (last) output.WriteLine();
        }
        else if (last || p.Done == 1 || DateTime.UtcNow - _lastLine >= TimeSpan.FromSeconds(10))
        {
            output.WriteLine(text);
            _lastLine = DateTime.UtcNow;
        }
    }
}
