using System.Globalization;
using Tcl.Evaluation;

namespace Tcl.Cli.Progress;

/// <summary>Evaluation progress (images, running mIoU, s/image, ETA) through a <see cref="ProgressLine"/>.</summary>
public sealed class EvaluationProgressBar(TextWriter output, string dataset, bool interactive) : IProgress<EvaluationProgress>
{
    private readonly ProgressLine _line = new(output, interactive);
    private double _seconds;

    public void Report(EvaluationProgress p)
    {
        _seconds += p.ImageSeconds;
        double perImage = _seconds / p.Done;
        var eta = TimeSpan.FromSeconds(perImage * (p.Total - p.Done));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{dataset} {p.Done,6}/{p.Total}  mIoU so far {p.RunningMeanIoU * 100:F2}  {perImage:F2} s/image  ETA {(int)eta.TotalMinutes}m{eta.Seconds:D2}s");
        _line.Show(p.Done, p.Total, text, keep: p.Done == p.Total);
    }
}
