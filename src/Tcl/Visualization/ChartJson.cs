using System.Text.Json.Nodes;
using Plotly.NET;

namespace Tcl.Visualization;

/// <summary>
/// A chart's plotly.js arguments as JSON text — <c>data</c> (the traces), <c>layout</c> and <c>config</c> — taken from
/// <see cref="GenericChart.toJson"/>, which serialises all three. These are exactly what
/// <c>Plotly.newPlot(div, data, layout, config)</c> takes.
/// </summary>
public sealed record ChartJson(string Data, string Layout, string Config)
{
    /// <summary>Splits <see cref="GenericChart.toJson"/>'s <c>{"data":…, "layout":…, "config":…}</c>.</summary>
    public static ChartJson Of(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var figure = JsonNode.Parse(GenericChart.toJson(chart)) as JsonObject
            ?? throw new InvalidOperationException("Plotly.NET returned a chart JSON that is not an object.");
        string Part(string name, string empty) => figure[name]?.ToJsonString() ?? empty;
        return new ChartJson(Part("data", "[]"), Part("layout", "{}"), Part("config", "{}"));
    }

    /// <summary>
    /// <c>Plotly.newPlot(target, data, layout, config)</c> as JavaScript for a <c>&lt;script&gt;</c> element: the JSON
    /// with <c>&lt;/</c> escaped, so a title containing <c>&lt;/script&gt;</c> cannot end the element.
    /// </summary>
    /// <param name="target">A JavaScript expression for the element or its id, e.g. <c>"chart-1"</c> in quotes.</param>
    /// <param name="staticPlot">Draw without interaction (plotly's <c>staticPlot</c>), for a picture.</param>
    public string NewPlotCall(string target, bool staticPlot = false)
    {
        var config = staticPlot ? $"Object.assign({Script(Config)}, {{ staticPlot: true }})" : Script(Config);
        return $"Plotly.newPlot({target}, {Script(Data)}, {Script(Layout)}, {config});";
    }

    private static string Script(string json) => json.Replace("</", "<\\/", StringComparison.Ordinal);
}
