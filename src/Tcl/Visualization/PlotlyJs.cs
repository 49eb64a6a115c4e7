using System.Text;
using Plotly.NET;

namespace Tcl.Visualization;

/// <summary>
/// The plotly.js bundle that ships inside the Plotly.NET assembly (manifest resource
/// <c>Plotly.NET.plotly-&lt;version&gt;.min.js</c>; the same text Plotly.NET inlines for
/// <see cref="PlotlyJSReference.Full"/>), so reports draw charts with no network and no download.
/// </summary>
public static class PlotlyJs
{
    // The bundle's only web address is the default base URL for geo maps' topojson files (a CDN). The project draws no
    // maps; pointing the default at the report's own folder keeps the page free of any CDN address.
    private const string TopojsonCdnDefault = "dflt:\"https://cdn.plot.ly/\"";
    private const string TopojsonLocalDefault = "dflt:\"./\"";

    private static readonly Lazy<string> Bundle = new(Load);

    /// <summary>The plotly.js version Plotly.NET was built with (e.g. 2.28.0).</summary>
    public static string Version => Globals.PLOTLYJS_VERSION;

    /// <summary>The minified plotly.js source (~3.6 MB), ready for a <c>&lt;script&gt;</c> element.</summary>
    public static string Source => Bundle.Value;

    // The bundle is a UMD module: with an AMD loader on the page (require.js: nbconvert's HTML export with Debian's
    // libjs-requirejs, classic Notebook, nbviewer) it calls define() and never sets window.Plotly, so every chart stays
    // blank. Running it in a function whose parameters shadow define/exports/module (all undefined) sends it down its
    // last branch, self.Plotly = …, wherever it runs.
    private const string GuardOpen = "(function (define, exports, module) {\n";
    private const string GuardClose = "\n}).call(self);";

    /// <summary>
    /// A <c>&lt;script&gt;</c> element with the bundle, guarded so that it sets <c>window.Plotly</c> with or without an
    /// AMD loader such as require.js on the page.
    /// </summary>
    public static string ScriptElement => Open + Source + Close;

    /// <summary>Writes <see cref="ScriptElement"/> without building it in memory.</summary>
    public static void WriteScriptElement(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Open);
        writer.Write(Source);
        writer.Write(Close);
    }

    private static string Open => $"<script>/* plotly.js {Version}, inlined from the Plotly.NET package, guarded for AMD loaders */\n{GuardOpen}";

    private const string Close = GuardClose + "\n</script>\n";

    private static string Load()
    {
        var name = $"Plotly.NET.plotly-{Version}.min.js";
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The Plotly.NET assembly has no resource '{name}'.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var js = reader.ReadToEnd().Replace(TopojsonCdnDefault, TopojsonLocalDefault, StringComparison.Ordinal);
        if (js.Contains("</script", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException("The plotly.js bundle contains '</script' and cannot be inlined as is.");
        return js;
    }
}
