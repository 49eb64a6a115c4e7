using Plotly.NET;
using Tcl.Visualization;

namespace Tcl.Notebooks;

/// <summary>
/// How a notebook shows a Plotly.NET chart, chosen by <c>TCL_NOTEBOOK_CHARTS</c> (<c>tcl-notebooks run --charts</c>):
/// <list type="bullet">
/// <item><c>interactive</c> (default): a <c>&lt;div&gt;</c> drawn by plotly.js, which is inlined (guarded for AMD
/// loaders) in the first chart of the notebook; works offline in Jupyter, VS Code, <c>dotnet repl</c> and
/// nbconvert's HTML.</item>
/// <item><c>static</c>: for the notebooks committed with their outputs. A PNG of the chart (drawn by headless Chromium)
/// comes first, so code hosts, which strip scripts, show the picture; the interactive <c>&lt;div&gt;</c> follows
/// without plotly.js (3.6 MB per notebook otherwise) and draws where the page already has it.</item>
/// </list>
/// </summary>
public static class NotebookCharts
{
    /// <summary>The environment variable with the mode.</summary>
    public const string Variable = "TCL_NOTEBOOK_CHARTS";

    /// <summary>Size of the static PNG, in CSS pixels.</summary>
    public const int Width = 900, Height = 480;

    /// <summary>Whether charts are shown as a static PNG plus a plotly.js-free interactive part.</summary>
    public static bool Static => Environment.GetEnvironmentVariable(Variable) == "static";

    /// <summary>A standalone page that draws <paramref name="chart"/> (plotly.js inlined): what the PNG is taken of.</summary>
    public static string Page(GenericChart chart, int width = Width, int height = Height)
    {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n" + PlotlyJs.ScriptElement +
               $"</head><body style=\"margin:0\"><div id=\"chart\" style=\"width:{width}px;height:{height}px\"></div>\n" +
               $"<script>{ChartJson.Of(chart).NewPlotCall("\"chart\"", staticPlot: true)}</script>\n" +
               "</body></html>\n";
    }

    /// <summary>The chart as a PNG.</summary>
    /// <exception cref="InvalidOperationException">No headless Chromium, or it failed.</exception>
    public static byte[] Png(GenericChart chart) => HeadlessChromium.Screenshot(Page(chart), Width, Height);
}
