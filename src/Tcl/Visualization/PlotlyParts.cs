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

    /// <summary>Longest title line, in characters, that fits the figure's width at plotly's title font.</summary>
    public const int TitleLineLength = 72;

    /// <summary>
    /// A chart of <paramref name="traces"/> with title, axis titles and a legend. A title too long for one line is
    /// broken into lines (<see cref="TitleLines"/>; the lines after the first in a smaller font) and the top margin grows
    /// with them, so plotly.js never clips it at the figure's edge.
    /// </summary>
    public static GenericChart Chart(IEnumerable<Trace> traces, string title, string xTitle, string yTitle,
        Action<DynObj, DynObj, DynObj>? adjust = null)
    {
        var layout = new Layout();
        var lines = TitleLines(title, TitleLineLength);
        var titleObject = Text(string.Join("<br>", lines.Select((l, i) => i == 0 ? l : $"<span style=\"font-size: 13px\">{l}</span>")));
        titleObject.SetProperty("x", 0.5);
        titleObject.SetProperty("xanchor", "center");
        titleObject.SetProperty("y", 1.0);
        titleObject.SetProperty("yref", "container");
        titleObject.SetProperty("yanchor", "top");
        titleObject.SetProperty("pad", Margin(t: 12));
        layout.SetProperty("title", titleObject);
        layout.SetProperty("margin", Margin(t: 40 + 20 * lines.Count));
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

    /// <summary>
    /// A title broken into lines of at most <paramref name="max"/> characters at spaces; a long title is first split
    /// after its head (at ": " or before " (") so the head stays on the first line, and the rest — drawn in a smaller
    /// font — takes lines of up to 4/3 of <paramref name="max"/>. Plotly's markup characters are kept as they are.
    /// </summary>
    public static IReadOnlyList<string> TitleLines(string title, int max)
    {
        ArgumentNullException.ThrowIfNull(title);
        if (title.Length <= max) return [title];
        var parts = new List<string>();
        int head = title.IndexOf(": ", StringComparison.Ordinal);
        int paren = title.IndexOf(" (", StringComparison.Ordinal);
        if (head > 0 && head < max) parts.AddRange([title[..(head + 1)], title[(head + 2)..]]);
        else if (paren > 0 && paren < max) parts.AddRange([title[..paren], title[(paren + 1)..]]);
        else parts.Add(title);
        var lines = new List<string>();
        foreach (var part in parts)
        {
            var line = "";
            int limit = lines.Count == 0 ? max : max * 4 / 3;
            foreach (var word in part.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > limit) { lines.Add(line); line = ""; limit = max * 4 / 3; }
                line = line.Length == 0 ? word : line + " " + word;
            }
            if (line.Length > 0) lines.Add(line);
        }
        return lines;
    }

    private static DynObj Margin(int t)
    {
        var margin = new DynObj();
        margin.SetProperty("t", t);
        return margin;
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
