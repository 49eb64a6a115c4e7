using Tcl.Demo;

namespace Tcl.Notebooks;

/// <summary>
/// One line under a notebook cell that follows a long run (a demo or ablation study): the latest stage message and
/// training step, updated in place at most every <see cref="Interval"/>, so a full-profile cell shows where it is
/// without filling the notebook with lines. The executed notebook keeps the last state.
/// </summary>
public sealed class StatusLine : IProgress<DemoProgress>
{
    private readonly LiveDisplay _shown = new("starting");
    private DateTime _last = DateTime.MinValue;
    private string _stage = "starting";

    /// <summary>Least time between two updates (stage messages always update).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public void Report(DemoProgress value)
    {
        string line;
        if (value.Training is { } t)
        {
            if (DateTime.UtcNow - _last < Interval) return;
            line = $"{_stage} · {value.Message}: step {t.Step + 1}, loss {t.Loss:F4}";
        }
        else if (value.Evaluation is not null)
        {
            if (DateTime.UtcNow - _last < Interval) return;
            line = $"{_stage} · {value.Message}";
        }
        else
        {
            _stage = value.Message;
            line = value.Message;
        }
        _last = DateTime.UtcNow;
        _shown.Update(line);
    }
}
