using System.Text.Json.Nodes;

namespace Tcl.Notebooks.Runner;

/// <summary>One thing wrong with an executed notebook.</summary>
/// <param name="Cell">The cell, counted from 1 over all cells (markdown included), as an editor shows them.</param>
/// <param name="Message">What is wrong, e.g. <c>error: FileNotFoundException: …</c>.</param>
public sealed record NotebookProblem(int Cell, string Message)
{
    public override string ToString() => $"cell {Cell}: {Message}";
}

/// <summary>
/// Reads an executed <c>.ipynb</c> (nbformat 4, as Jupyter, <c>dotnet repl</c> and VS Code write it) and finds what a
/// reader must not see: error outputs, compiler diagnostics or anything else on stderr, and (for committed notebooks)
/// code cells without outputs or not executed in order.
/// </summary>
public static class NotebookOutputs
{
    /// <summary>Number of code cells that are not empty.</summary>
    public static int CodeCells(JsonObject notebook) => Cells(notebook).Count(c => c.IsCode && !c.IsEmpty);

    /// <summary>The problems of <paramref name="notebook"/>, in cell order.</summary>
    /// <param name="notebook">The parsed notebook.</param>
    /// <param name="requireOutputs">A committed, executed notebook: every non-empty code cell has at least one output and
    /// the execution counts run 1, 2, 3, … down the notebook.</param>
    public static IReadOnlyList<NotebookProblem> Problems(JsonObject notebook, bool requireOutputs)
    {
        var problems = new List<NotebookProblem>();
        var expectedCount = 1;
        var inOrder = true;
        foreach (var cell in Cells(notebook).Where(c => c.IsCode))
        {
            var outputs = cell.Json["outputs"] as JsonArray ?? [];
            if (requireOutputs && !cell.IsEmpty && outputs.Count == 0)
                problems.Add(new NotebookProblem(cell.Number, "no outputs (not executed?)"));
            // A committed notebook must be one top-to-bottom run of its own code in one fresh kernel: the execution
            // counts of its non-empty code cells are then exactly 1, 2, 3, … (an edited, re-run or skipped cell breaks
            // the sequence). Only the first break is reported; the later cells would all repeat it.
            if (requireOutputs && inOrder && !cell.IsEmpty)
            {
                var count = ExecutionCount(cell.Json);
                if (count != expectedCount)
                {
                    problems.Add(new NotebookProblem(cell.Number,
                        $"execution_count is {count?.ToString() ?? "null"}, expected {expectedCount}: the notebook was not run top to bottom in one kernel"));
                    inOrder = false;
                }
                expectedCount++;
            }
            foreach (var output in outputs.OfType<JsonObject>())
            {
                switch ((string?)output["output_type"])
                {
                    case "error":
                        problems.Add(new NotebookProblem(cell.Number, $"error: {Flat((string?)output["ename"])}: {Flat((string?)output["evalue"])}"));
                        break;
                    case "stream" when (string?)output["name"] == "stderr":
                        problems.Add(new NotebookProblem(cell.Number, $"stderr: {Flat(Text(output["text"]))}"));
                        break;
                }
            }
        }
        return problems;
    }

    /// <summary>Reads and parses a notebook file.</summary>
    /// <exception cref="InvalidDataException">The file is not a notebook (names the file).</exception>
    public static JsonObject Read(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                   ?? throw new InvalidDataException($"{path}: not a notebook (the JSON is not an object).");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{path}: not a notebook: {e.Message}", e);
        }
    }

    private static int? ExecutionCount(JsonObject cell) =>
        cell["execution_count"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;

    private sealed record Cell(int Number, JsonObject Json)
    {
        public bool IsCode => (string?)Json["cell_type"] == "code";
        public bool IsEmpty => string.IsNullOrWhiteSpace(Text(Json["source"]));
    }

    private static IEnumerable<Cell> Cells(JsonObject notebook) =>
        (notebook["cells"] as JsonArray ?? []).OfType<JsonObject>().Select((c, i) => new Cell(i + 1, c));

    /// <summary>nbformat stores text as a string or a list of lines.</summary>
    private static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => "",
    };

    /// <summary>The first non-empty line, at most 300 characters: one line per problem in a log.</summary>
    private static string Flat(string? text)
    {
        var line = (text ?? "").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
