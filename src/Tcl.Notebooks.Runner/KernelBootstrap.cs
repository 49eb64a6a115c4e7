using System.Text.Json.Nodes;

namespace Tcl.Notebooks.Runner;

/// <summary>
/// The .NET Interactive kernel's first output under Jupyter is a script that probes <c>http://127.0.0.1:2048/…</c> for
/// the kernel's HTTP API (so a live front end can call back into the kernel). In a saved notebook it only tries to
/// reach a kernel that is gone, so the runner drops it.
/// </summary>
public static class KernelBootstrap
{
    private const string Marker = "dotnet-interactive-this-cell";

    /// <summary>Removes the bootstrap outputs from every cell; returns how many.</summary>
    public static int Remove(JsonObject notebook)
    {
        var removed = 0;
        foreach (var outputs in (notebook["cells"] as JsonArray ?? []).OfType<JsonObject>().Select(c => c["outputs"]).OfType<JsonArray>())
        {
            for (var i = outputs.Count - 1; i >= 0; i--)
            {
                if (outputs[i]?["data"]?["text/html"] is not { } html || !html.ToJsonString().Contains(Marker, StringComparison.Ordinal)) continue;
                outputs.RemoveAt(i);
                removed++;
            }
        }
        return removed;
    }
}
