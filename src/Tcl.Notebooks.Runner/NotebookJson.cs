using System.Text.Encodings.Web;
using System.Text.Json;

namespace Tcl.Notebooks.Runner;

/// <summary>How the runner writes a notebook: as Jupyter does (one-space indent, non-ASCII characters kept).</summary>
public static class NotebookJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
