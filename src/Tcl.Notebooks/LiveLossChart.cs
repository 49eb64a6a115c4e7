using Microsoft.DotNet.Interactive;
using Plotly.NET;
using Tcl.Demo;
using Tcl.Training;
using Tcl.Visualization;

namespace Tcl.Notebooks;

/// <summary>
/// Live training curves in a notebook: an <see cref="IProgress{T}"/> of <see cref="TrainingProgress"/> (or of the
/// demo's <see cref="DemoProgress"/>, filtered to one stage) that records the total loss and every weighted term
/// per step and redraws <b>one</b> displayed chart in place every <see cref="Every"/> steps and at the last step
/// (through <see cref="LiveDisplay"/>: <c>DisplayedValue.Update</c> of the pinned .NET Interactive cannot). The
/// chart is <see cref="Charts.LossCurves"/> of the recorded series. The library never prints; this is the
/// notebook-side view of its progress callback.
/// </summary>
/// <remarks>
/// Progress must be reported on the cell's own thread (the trainer and <see cref="DemoPipeline"/> do): the display
/// handle belongs to the running cell. Pass a <c>draw</c> callback instead to render elsewhere (tests, other UIs).
/// plotly.js is inlined into the live chart only when the notebook showed no chart before it
/// (<see cref="TclFormatters.ChartHtml"/>); then every redraw carries it, so show a chart first (e.g. the LR schedule)
/// to keep redraws small. With <see cref="NotebookCharts.Static"/> (the run that writes the committed notebooks) no
/// frame carries plotly.js, and the last frame replaces the chart with its PNG, which code hosts show.
/// </remarks>
public sealed class LiveLossChart : IProgress<TrainingProgress>, IProgress<DemoProgress>
{
    private const string Html = "text/html";
    private readonly Dictionary<string, List<(long Step, double Value)>> _series = new(StringComparer.Ordinal);
    private readonly List<(long Step, double Value)> _learningRates = [];
    private readonly Action<GenericChart>? _draw;
    private LiveDisplay? _shown;
    private bool? _inlinePlotly;

    /// <param name="title">Chart title (the step count is appended).</param>
    /// <param name="every">Redraw every this many steps (≥ 1); the last step of a run is always drawn.</param>
    /// <param name="smoothing">Trailing moving average over this many steps (1 = raw values).</param>
    /// <param name="logY">Log-scale y axis (terms of very different sizes stay readable).</param>
    /// <param name="stage">With <see cref="DemoProgress"/>: the stage whose training steps are plotted.</param>
    /// <param name="draw">Receives each redrawn chart instead of the notebook display (null = display in the running cell).</param>
    public LiveLossChart(string title, int every = 10, int smoothing = 1, bool logY = false, DemoStage stage = DemoStage.Tcl,
        Action<GenericChart>? draw = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(smoothing, 1);
        Title = title;
        Every = every;
        Smoothing = smoothing;
        LogY = logY;
        Stage = stage;
        _draw = draw;
    }

    /// <summary>Chart title.</summary>
    public string Title { get; }

    /// <summary>Steps between redraws.</summary>
    public int Every { get; }

    /// <summary>Moving-average window of the drawn curves.</summary>
    public int Smoothing { get; }

    /// <summary>Log-scale y axis.</summary>
    public bool LogY { get; }

    /// <summary>The demo stage plotted from <see cref="DemoProgress"/>.</summary>
    public DemoStage Stage { get; }

    /// <summary>How many times the chart was drawn (first display included).</summary>
    public int Redraws { get; private set; }

    /// <summary>The last step recorded (−1 before any).</summary>
    public long LastStep { get; private set; } = -1;

    /// <summary>Steps of the run, from the progress reports (0 before any).</summary>
    public long TotalSteps { get; private set; }

    /// <summary>Recorded raw points: <c>loss</c> and each weighted term by its official name (e.g. <c>tcli_loss</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(long Step, double Value)>> Series =>
        _series.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<(long, double)>)kv.Value, StringComparer.Ordinal);

    /// <summary>The learning rate of every recorded step.</summary>
    public IReadOnlyList<(long Step, double Value)> LearningRates => _learningRates;

    /// <inheritdoc />
    public void Report(DemoProgress value)
    {
        if (value.Stage == Stage && value.Training is { } step) Report(step);
    }

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Add("loss", value.Step, value.Loss);
        foreach (var (name, term) in value.Terms) Add(name == "loss" ? "terms.loss" : name, value.Step, term);
        _learningRates.Add((value.Step, value.LearningRate));
        LastStep = value.Step;
        TotalSteps = value.TotalSteps;
        var last = value.Step + 1 >= value.TotalSteps;
        if ((value.Step + 1) % Every == 0 || last) Redraw(last);
    }

    /// <summary>
    /// Draws the final chart and returns it. When no step was reported (e.g. the run was reused from disk) and
    /// <paramref name="metricsJsonl"/> exists, the curves are read from that log first (<see cref="MetricsSeries"/>).
    /// </summary>
    /// <param name="metricsJsonl">The run's <c>metrics.jsonl</c>, used only when nothing was recorded live.</param>
    public GenericChart Finish(string? metricsJsonl = null)
    {
        if (_series.Count == 0 && metricsJsonl is not null && File.Exists(metricsJsonl))
        {
            foreach (var (name, points) in MetricsSeries.FromLog(metricsJsonl))
                foreach (var (step, v) in points) Add(name, step, v);
            _learningRates.AddRange(MetricsSeries.Field(metricsJsonl, "lr"));
            LastStep = _series.TryGetValue("loss", out var loss) && loss.Count > 0 ? loss[^1].Step : -1;
            TotalSteps = LastStep + 1;
        }
        return Redraw(final: true);
    }

    /// <summary>The chart of what was recorded so far (smoothed by <see cref="Smoothing"/>).</summary>
    public GenericChart Chart()
    {
        var series = _series.ToDictionary(kv => kv.Key, kv => MetricsSeries.MovingAverage(kv.Value, Smoothing), StringComparer.Ordinal);
        string smoothed = Smoothing > 1 ? $", moving average over {Smoothing} steps" : "";
        string steps = LastStep < 0 ? "no steps yet" : $"step {LastStep + 1} / {TotalSteps}";
        return Charts.LossCurves(series, $"{Title} ({steps}{smoothed})", LogY);
    }

    private void Add(string name, long step, double value)
    {
        if (!_series.TryGetValue(name, out var list)) _series[name] = list = [];
        list.Add((step, value));
    }

    /// <param name="final">The run's last frame (last step, or <see cref="Finish"/>).</param>
    private GenericChart Redraw(bool final)
    {
        var chart = Chart();
        if (_draw is not null)
        {
            _draw(chart);
            Redraws++;
            return chart;
        }
        if (KernelInvocationContext.Current is null)
            throw new InvalidOperationException("LiveLossChart draws into a running notebook cell; pass a draw callback to render elsewhere.");
        var (mimeType, content) = NotebookCharts.Static && final
            ? ("image/png", Convert.ToBase64String(NotebookCharts.Png(chart)))
            : (Html, FrameHtml(chart));
        if (_shown is null) _shown = LiveDisplay.Raw(mimeType, content);
        else _shown.UpdateRaw(mimeType, content);
        Redraws++;
        return chart;
    }

    private string FrameHtml(GenericChart chart)
    {
        // The first frame decides (through the formatter's "already inlined" flag) whether plotly.js goes in; every
        // later frame must do the same, because an update replaces the whole output. Static runs never inline it.
        if (NotebookCharts.Static) _inlinePlotly = false;
        if (_inlinePlotly is { } inline) return TclFormatters.ChartHtml(chart, inline);
        var html = TclFormatters.ChartHtml(chart);
        _inlinePlotly = html.Length > PlotlyJs.Source.Length;
        return html;
    }
}
