using Plotly.NET;

namespace Tcl.Visualization;

/// <summary>
/// The project's standard charts as Plotly.NET <see cref="GenericChart"/>s: training curves, per-class or per-benchmark
/// bars, and hyper-parameter sweeps. Each has a title, axis titles and a legend; NaN values (a class absent from a
/// benchmark, a run that diverged) are drawn as gaps, never as zero. Show them in a notebook, or put them in an
/// <see cref="HtmlReport"/>, which works offline.
/// </summary>
public static class Charts
{
    /// <summary>One line per series (e.g. total loss and each loss term) over training steps.</summary>
    /// <param name="series">Series name → (step, value) points, e.g. from <see cref="MetricsSeries.FromLog"/>.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="logY">Log-scale y axis: loss terms of very different sizes stay readable together.</param>
    public static GenericChart LossCurves(IReadOnlyDictionary<string, IReadOnlyList<(long Step, double Value)>> series,
        string title, bool logY = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var traces = series.Select(kv => PlotlyParts.Scatter(kv.Key, kv.Value.Select(p => (object)p.Step),
            kv.Value.Select(p => p.Value), "lines"));
        return PlotlyParts.Chart(traces, title, "step", logY ? "value (log scale)" : "value", (layout, _, y) =>
        {
            layout.SetProperty("hovermode", "x unified");
            if (logY) y.SetProperty("type", "log");
        });
    }

    /// <summary>
    /// The curves of a training log (<c>metrics.jsonl</c>): <c>loss</c> and each loss term, read by
    /// <see cref="MetricsSeries.FromLog"/>, each smoothed by a trailing moving average of <paramref name="smoothing"/> steps.
    /// </summary>
    public static GenericChart LossCurvesFromMetrics(string metricsJsonlPath, string title, int smoothing = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(smoothing, 1);
        var series = MetricsSeries.FromLog(metricsJsonlPath)
            .ToDictionary(kv => kv.Key, kv => MetricsSeries.MovingAverage(kv.Value, smoothing));
        var fullTitle = smoothing > 1 ? $"{title} (moving average over {smoothing} steps)" : title;
        return LossCurves(series, fullTitle);
    }

    /// <summary>
    /// Grouped bars: one group per category (a class, a benchmark), one bar per series (a method, an ablation row), e.g.
    /// per-class IoU of TCL next to MaskCLIP. NaN values leave the bar out.
    /// </summary>
    /// <param name="categories">The groups along the x axis, in order.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="yTitle">Y axis title, e.g. "IoU (%)".</param>
    /// <param name="valuesBySeries">Series name → one value per category, in the order of <paramref name="categories"/>.</param>
    public static GenericChart GroupedBars(IReadOnlyList<string> categories,
        IReadOnlyDictionary<string, IReadOnlyList<double>> valuesBySeries, string title, string yTitle)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(valuesBySeries);
        foreach (var (name, values) in valuesBySeries)
            if (values.Count != categories.Count)
                throw new ArgumentException($"Series '{name}' has {values.Count} values for {categories.Count} categories.", nameof(valuesBySeries));
        var traces = valuesBySeries.Select(kv => PlotlyParts.Bar(kv.Key, categories, kv.Value));
        return PlotlyParts.Chart(traces, title, "", yTitle, (layout, x, _) =>
        {
            layout.SetProperty("barmode", "group");
            x.SetProperty("type", "category");          // class names that look like numbers stay categories
            x.SetProperty("tickangle", categories.Count > 8 ? -45 : 0);
        });
    }

    /// <summary>
    /// Lines with markers over a swept setting (a threshold, a loss weight, a window size): one line per measured
    /// quantity or method. NaN values break the line.
    /// </summary>
    /// <param name="x">The swept values.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xTitle">X axis title (the swept setting).</param>
    /// <param name="yTitle">Y axis title (the measured quantity).</param>
    /// <param name="ys">Series name → one value per entry of <paramref name="x"/>.</param>
    public static GenericChart Sweep(IReadOnlyList<double> x, IReadOnlyDictionary<string, IReadOnlyList<double>> ys,
        string title, string xTitle, string yTitle)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(ys);
        foreach (var (name, values) in ys)
            if (values.Count != x.Count)
                throw new ArgumentException($"Series '{name}' has {values.Count} values for {x.Count} x values.", nameof(ys));
        var traces = ys.Select(kv => PlotlyParts.Scatter(kv.Key, x.Select(v => (object)v), kv.Value, "lines+markers"));
        return PlotlyParts.Chart(traces, title, xTitle, yTitle);
    }
}
