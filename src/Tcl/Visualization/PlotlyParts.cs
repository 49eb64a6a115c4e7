using Plotly.NET;
using DynObj = DynamicObj.DynamicObj;

namespace Tcl.Visualization;

/// <summary>
/// The few plotly.js objects the charts need, built directly as Plotly.NET dynamic objects (<see cref="Trace"/>,
/// <see cref="Layout"/>): from C# this is shorter and clearer than the F# chart functions with their dozens of optional
/// arguments, and the JSON is exactly plotly.js's own schema (<c>type</c>, <c>x</c>, <c>y</c>, <c>mode</c>, …).
/// </summary>
internal static class PlotlyParts
{
    /// <summary>Default figure size: fits the report's content width and a notebook cell.</summary>
    public const int Width = 860, Height = 440;

    /// <summary>
    /// Values for a plotly data array: NaN and ±∞ become <c>null</c>, which plotly.js draws as a gap (no bar, a break in
    /// the line). Plotly.NET would otherwise serialise NaN as the string "NaN".
    /// </summary>
    public static object?[] Gaps(IEnumerable<double> values) => values.Select(v => double.IsFinite(v) ? (object?)v : null).ToArray();

    public static Trace Scatter(string name, IEnumerable<object> x, IEnumerable<double> y, string mode)
    {
        var trace = new Trace("scatter");
        trace.SetProperty("name", name);
        trace.SetProperty("x", x.ToArray());
        trace.SetProperty("y", Gaps(y));
        trace.SetProperty("mode", mode);
        trace.SetProperty("connectgaps", false);
        return trace;
    }

    public static Trace Bar(string name, IEnumerable<string> categories, IEnumerable<double> values)
    {
        var trace = new Trace("bar");
        trace.SetProperty("name", name);
        trace.SetProperty("x", categories.ToArray());
        trace.SetProperty("y", Gaps(values));
        return trace;
    }

    /// <summary>A chart of <paramref name="traces"/> with title, axis titles and a legend.</summary>
    public static GenericChart Chart(IEnumerable<Trace> traces, string title, string xTitle, string yTitle,
        Action<DynObj, DynObj, DynObj>? adjust = null)
    {
        var layout = new Layout();
        layout.SetProperty("title", Text(title));
        layout.SetProperty("width", Width);
        layout.SetProperty("height", Height);
        layout.SetProperty("showlegend", true);
        var xaxis = Axis(xTitle);
        var yaxis = Axis(yTitle);
        layout.SetProperty("xaxis", xaxis);
        layout.SetProperty("yaxis", yaxis);
        adjust?.Invoke(layout, xaxis, yaxis);
        return GenericChart.addLayout(layout, GenericChart.ofTraceObjects(true, traces.ToList()));
    }

    private static DynObj Axis(string title)
    {
        var axis = new DynObj();
        axis.SetProperty("title", Text(title));
        axis.SetProperty("automargin", true);
        return axis;
    }

    private static DynObj Text(string text)
    {
        var o = new DynObj();
        o.SetProperty("text", text);
        return o;
    }
}
