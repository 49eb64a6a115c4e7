using Tcl.Demo;

namespace Tcl.Cli.Progress;

/// <summary>
/// Draws the pipeline's progress with the bars of <c>tcl train</c> and <c>tcl evaluate</c> (a new bar per training
/// stage and per benchmark × method); stage messages as plain lines.
/// </summary>
internal sealed class DemoProgressView(TextWriter output, bool interactive) : IProgress<DemoProgress>
{
    private (string Key, TrainingProgressBar Bar)? _training;
    private (string Key, EvaluationProgressBar Bar)? _evaluation;

    public void Report(DemoProgress p)
    {
        if (p.Training is { } t)
        {
            string key = $"{p.Stage}: {p.Message}";
            if (_training?.Key != key) _training = (key, new TrainingProgressBar(output, interactive));
            _training.Value.Bar.Report(t);
        }
        else if (p.Evaluation is { } e)
        {
            if (_evaluation?.Key != p.Message) _evaluation = (p.Message, new EvaluationProgressBar(output, p.Message, interactive));
            _evaluation.Value.Bar.Report(e);
        }
        else
            output.WriteLine($"[{p.Stage.ToString().ToLowerInvariant()}] {p.Message}");
    }
}
