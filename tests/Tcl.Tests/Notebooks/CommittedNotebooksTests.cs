using System.Text.Json.Nodes;
using Tcl.Notebooks.Runner;
using Xunit;

namespace Tcl.Tests.Notebooks;

/// <summary>
/// The notebooks in the repository are committed executed, so a reader on a code host sees their results. That the
/// outputs come from the committed code is checked as far as a file can show it: every code cell has outputs, none is
/// an error or stderr, and the execution counts run 1, 2, 3, … (one top-to-bottom run in a fresh kernel, no cell edited
/// and re-run by hand). Charts carry a static PNG and no inlined plotly.js, and each file stays small. Regenerate them
/// with <c>tcl-notebooks run --profile full --charts static --output notebooks notebooks/*.ipynb</c>.
/// </summary>
public sealed class CommittedNotebooksTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(RepositoryRoot(), "notebooks"), "*.ipynb").Order())
            data.Add(Path.GetFileName(path));
        return data;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Tcl.Notebooks.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Tcl.Notebooks.sln above {AppContext.BaseDirectory}.");
    }

    private static string PathOf(string name) => Path.Combine(RepositoryRoot(), "notebooks", name);

    [Fact]
    public void There_are_six_notebooks() => Assert.Equal(6, Notebooks().Count);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Every_code_cell_ran_in_order_with_outputs_and_none_is_an_error(string name)
    {
        var problems = NotebookOutputs.Problems(NotebookOutputs.Read(PathOf(name)), requireOutputs: true);

        Assert.True(problems.Count == 0, $"{name}: {string.Join("; ", problems)}");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void It_is_small_has_no_inlined_plotly_js_and_every_chart_has_a_png(string name)
    {
        var text = File.ReadAllText(PathOf(name));

        Assert.True(text.Length < 4_000_000, $"{name}: {text.Length:N0} characters");
        Assert.DoesNotContain("* plotly.js v", text);
        var charts = CountOf(text, "Plotly.newPlot(");
        var pngs = CountOf(text, "\"image/png\"");
        Assert.True(pngs >= charts, $"{name}: {charts} charts, {pngs} PNG outputs");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void No_code_cell_runs_over_30_lines(string name)
    {
        // What a cell needs beyond a screenful belongs in the library, where it is tested and documented.
        var cells = NotebookOutputs.Read(PathOf(name))["cells"]!.AsArray().Select((c, i) => (Number: i + 1, Cell: c!.AsObject()));
        foreach (var (number, cell) in cells.Where(c => (string?)c.Cell["cell_type"] == "code"))
        {
            var source = cell["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)cell["source"] ?? "";
            var count = source.TrimEnd('\n').Split('\n').Length;
            Assert.True(count <= 30, $"{name}, cell {number}: {count} lines");
        }
    }

    private static int CountOf(string text, string what)
    {
        int count = 0, at = 0;
        while ((at = text.IndexOf(what, at, StringComparison.Ordinal)) >= 0) { count++; at += what.Length; }
        return count;
    }
}
