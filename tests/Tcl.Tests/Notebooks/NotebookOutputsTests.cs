using System.Text.Json.Nodes;
using Tcl.Notebooks.Runner;
using Xunit;

namespace Tcl.Tests.Notebooks;

/// <summary>What tcl-notebooks finds wrong in an executed notebook, on nbformat 4 JSON as Jupyter and dotnet repl write it.</summary>
public sealed class NotebookOutputsTests
{
    private static JsonObject Notebook(params JsonObject[] cells) => new() { ["cells"] = new JsonArray(cells), ["nbformat"] = 4 };

    private static JsonObject Code(string source, params JsonObject[] outputs) =>
        new() { ["cell_type"] = "code", ["source"] = source, ["outputs"] = new JsonArray(outputs) };

    private static JsonObject Ran(int executionCount, JsonObject code)
    {
        code["execution_count"] = executionCount;
        return code;
    }

    private static JsonObject Markdown(string source) => new() { ["cell_type"] = "markdown", ["source"] = source };

    private static JsonObject Stream(string name, params string[] lines) =>
        new() { ["output_type"] = "stream", ["name"] = name, ["text"] = new JsonArray(lines.Select(l => (JsonNode)l).ToArray()) };

    private static JsonObject Error(string name, string value) =>
        new() { ["output_type"] = "error", ["ename"] = name, ["evalue"] = value, ["traceback"] = new JsonArray() };

    private static JsonObject Display(string text) =>
        new() { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/plain"] = text }, ["metadata"] = new JsonObject() };

    [Fact]
    public void Errors_and_stderr_are_problems_named_by_cell_number_counting_markdown()
    {
        var notebook = Notebook(
            Markdown("# title"),
            Code("var x = 1;", Display("1"), Stream("stdout", "fine\n")),
            Markdown("prose"),
            Code("string? s = null;", Stream("stderr", "\n", "(1,7): warning CS8632: The annotation for nullable…\n")),
            Code("throw new Exception();", Error("Error", "System.Exception: boom\n   at Submission#4")));

        var problems = NotebookOutputs.Problems(notebook, requireOutputs: false);

        Assert.Equal([4, 5], problems.Select(p => p.Cell));
        Assert.Equal("stderr: (1,7): warning CS8632: The annotation for nullable…", problems[0].Message);
        Assert.Equal("error: Error: System.Exception: boom", problems[1].Message);
        Assert.Equal("cell 5: error: Error: System.Exception: boom", problems[1].ToString());
        Assert.Equal(3, NotebookOutputs.CodeCells(notebook));
    }

    [Fact]
    public void A_committed_notebook_needs_outputs_in_every_non_empty_code_cell()
    {
        var notebook = Notebook(Ran(1, Code("1 + 1", Display("2"))), Ran(2, Code("var unshown = 3;")), Code("  \n"));

        Assert.Empty(NotebookOutputs.Problems(notebook, requireOutputs: false));
        var problem = Assert.Single(NotebookOutputs.Problems(notebook, requireOutputs: true));
        Assert.Equal(2, problem.Cell);
        Assert.Contains("no outputs", problem.Message);
    }

    [Fact]
    public void A_committed_notebook_ran_top_to_bottom_in_one_kernel()
    {
        var inOrder = Notebook(Markdown("# t"), Ran(1, Code("1", Display("1"))), Code(""), Ran(2, Code("2", Display("2"))));
        var rerun = Notebook(Ran(1, Code("1", Display("1"))), Ran(5, Code("2", Display("2"))), Ran(6, Code("3", Display("3"))));
        var neverCounted = Notebook(Ran(1, Code("1", Display("1"))), Code("2", Display("2")));

        Assert.Empty(NotebookOutputs.Problems(inOrder, requireOutputs: true));
        var problem = Assert.Single(NotebookOutputs.Problems(rerun, requireOutputs: true));
        Assert.Equal(2, problem.Cell);
        Assert.StartsWith("execution_count is 5, expected 2", problem.Message);
        Assert.StartsWith("execution_count is null, expected 2", Assert.Single(NotebookOutputs.Problems(neverCounted, requireOutputs: true)).Message);
        Assert.Empty(NotebookOutputs.Problems(rerun, requireOutputs: false));
    }

    [Fact]
    public void Reading_a_file_that_is_not_a_notebook_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tcl-not-a-notebook-{Guid.NewGuid():N}.ipynb");
        File.WriteAllText(path, "{\"cells\": [");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => NotebookOutputs.Read(path));
            Assert.StartsWith(path + ": not a notebook", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_kernel_bootstrap_script_is_removed_and_nothing_else()
    {
        var bootstrap = new JsonObject
        {
            ["output_type"] = "display_data",
            ["data"] = new JsonObject { ["text/html"] = new JsonArray("<div id='dotnet-interactive-this-cell-1'>", "<script>probeAddresses()</script>") },
        };
        var notebook = Notebook(Code("#r \"nuget: X\"", bootstrap, Display("kept")), Code("2", Display("2")));

        Assert.Equal(1, KernelBootstrap.Remove(notebook));

        var outputs = notebook["cells"]!.AsArray().Select(c => c!["outputs"]!.AsArray().Count);
        Assert.Equal([1, 1], outputs);
    }
}
