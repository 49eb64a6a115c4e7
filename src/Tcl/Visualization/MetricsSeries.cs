using System.Text.Json.Nodes;
using Tcl.Training;

namespace Tcl.Visualization;

/// <summary>
/// Curves from a training log (<c>metrics.jsonl</c>, see <see cref="MetricsLog"/>): series name → (step, value)
/// points, in step order. Shared by <see cref="Charts.LossCurvesFromMetrics"/> and notebooks that plot their own way.
/// </summary>
public static class MetricsSeries
{
    /// <summary>
    /// The total <c>loss</c> and every weighted term of <c>terms</c> (keyed by its own name, e.g. <c>tcli_loss</c>; a term
    /// that happens to be named <c>loss</c> is keyed <c>terms.loss</c>). Lines without a number for a series are
    /// skipped for that series only, so a term switched on mid-run still plots.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(long Step, double Value)>> FromLog(string path)
    {
        var series = new Dictionary<string, List<(long, double)>>(StringComparer.Ordinal);
        void Add(string name, long step, JsonNode? node)
        {
            if (Number(node) is not { } value) return;
            if (!series.TryGetValue(name, out var list)) series[name] = list = [];
            list.Add((step, value));
        }
        foreach (var entry in MetricsLog.Read(path))
        {
            if (Number(entry["step"]) is not { } stepValue) continue;
            long step = (long)stepValue;
            Add("loss", step, entry["loss"]);
            if (entry["terms"] is JsonObject terms)
                foreach (var (name, value) in terms)
                    Add(name == "loss" ? "terms.loss" : name, step, value);
        }
        return series.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<(long, double)>)kv.Value, StringComparer.Ordinal);
    }

    /// <summary>One top-level numeric field of the log over steps, e.g. <c>lr</c>, <c>grad_norm</c> or <c>images_per_s</c>.</summary>
    public static IReadOnlyList<(long Step, double Value)> Field(string path, string field) =>
        MetricsLog.Read(path)
            .Select(e => (Step: Number(e["step"]), Value: Number(e[field])))
            .Where(p => p.Step is not null && p.Value is not null)
            .Select(p => ((long)p.Step!.Value, p.Value!.Value))
            .ToList();

    /// <summary>
    /// Trailing moving average over <paramref name="window"/> points (the first points average what exists so far), so
    /// a noisy per-step loss shows its trend without shifting it to the left. A window of 1 returns the points unchanged.
    /// </summary>
    public static IReadOnlyList<(long Step, double Value)> MovingAverage(IReadOnlyList<(long Step, double Value)> points, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        if (window == 1) return points;
        var output = new (long, double)[points.Count];
        double sum = 0;
        for (int i = 0; i < points.Count; i++)
        {
            sum += points[i].Value;
            if (i >= window) sum -= points[i - window].Value;
            output[i] = (points[i].Step, sum / Math.Min(i + 1, window));
        }
        return output;
    }

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
}
