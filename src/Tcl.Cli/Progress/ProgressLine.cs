namespace Tcl.Cli.Progress;

/// <summary>
/// One progress line: on a terminal a bar redrawn in place; into a file or a CI log a plain line at most every
/// <see cref="LogInterval"/> (and whenever the caller forces one), so logs stay short.
/// </summary>
public sealed class ProgressLine(TextWriter output, bool interactive)
{
    private const int BarWidth = 24;
    private DateTime _lastLine = DateTime.MinValue;

    /// <summary>Time between plain log lines when not on a terminal.</summary>
    public TimeSpan LogInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Shows <paramref name="text"/> at <paramref name="done"/> of <paramref name="total"/>.</summary>
    /// <param name="done">Units done.</param>
    /// <param name="total">Units in all.</param>
    /// <param name="text">What to show after the bar.</param>
    /// <param name="keep">End the line here (terminal) / always log it (file), e.g. at a checkpoint or the last unit.</param>
    public void Show(long done, long total, string text, bool keep)
    {
        if (interactive)
        {
            int filled = (int)(BarWidth * done / Math.Max(1, total));
            output.Write($"\r[{new string('#', filled)}{new string('-', BarWidth - filled)}] {text}   ");
            if (keep) output.WriteLine();
        }
        else if (keep || done == 1 || DateTime.UtcNow - _lastLine >= LogInterval)
        {
            output.WriteLine(text);
            _lastLine = DateTime.UtcNow;
        }
    }
}
