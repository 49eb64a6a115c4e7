using System.Text.Json;
using System.Text.Json.Nodes;
using Tcl.Notebooks;
using Xunit;

namespace Tcl.Tests.Notebooks;

/// <summary>
/// The headless runner on tiny notebooks written to a temp folder. Each run starts a fresh in-process C# kernel
/// (a few seconds), so each notebook covers several points. One class: the tests run one after another, as the
/// runner resets .NET Interactive's process-wide formatters.
/// </summary>
public sealed class NotebookRunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-nb-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Runs_cells_in_order_and_writes_outputs_with_profile_and_markdown_untouched()
    {
        var path = Write("three.ipynb",
            Code("Console.WriteLine(\"one\");"),
            Markdown("# A heading\nprose"),
            Code("display(\"two\");\n\"three\""),
            Code("Console.WriteLine($\"{TclProfile} {Environment.GetEnvironmentVariable(\"TCL_PROFILE\")} {Tcl.Notebooks.NotebookProfile.Current}\");"));
        var output = Path.Combine(_dir, "out", "three.ipynb");

        var result = await new NotebookRunner(NotebookProfile.Full).RunAsync(path, output);

        Assert.True(result.Ok, result.Failure?.ToString());
        Assert.Equal(3, result.CellsRun);
        Assert.True(result.Elapsed > TimeSpan.Zero);
        var cells = ReadCells(output);
        Assert.Equal(4, cells.Count);
        Assert.Equal("markdown", (string)cells[1]!["cell_type"]!);
        Assert.Equal("# A heading\nprose", Source(cells[1]!));
        Assert.Equal(["stdout"], Outputs(cells[0]!).Select(o => (string)o["name"]!));
        Assert.Equal("one\n", Text(Outputs(cells[0]!)[0]));
        var second = Outputs(cells[2]!);
        Assert.Equal(["display_data", "execute_result"], second.Select(o => (string)o["output_type"]!));
        Assert.Contains("two", Data(second[0], "text/plain") ?? Data(second[0], "text/html"));
        Assert.Contains("three", Data(second[1], "text/plain") ?? Data(second[1], "text/html"));
        Assert.Equal("full full full\n", Text(Outputs(cells[3]!)[0]));
        Assert.Equal([1, 2, 3], new[] { cells[0], cells[2], cells[3] }.Select(c => (int)c!["execution_count"]!));
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public async Task A_live_display_is_replaced_in_place_by_its_updates()
    {
        var path = Write("live.ipynb",
            Code("var status = new Tcl.Notebooks.LiveDisplay(\"step 1\");\nvar other = new Tcl.Notebooks.LiveDisplay(\"kept\");\n" +
                 "status.Update(\"step 2\");\nstatus.Update(\"done\");"));
        var output = Path.Combine(_dir, "live-out.ipynb");

        var result = await new NotebookRunner().RunAsync(path, output);

        Assert.True(result.Ok, result.Failure?.ToString());
        var outputs = Outputs(ReadCells(output)[0]!);
        Assert.Equal(["done", "kept"], outputs.Select(o => Data(o, "text/plain")));
    }

    [Fact]
    public async Task Stops_at_the_first_failing_cell_names_it_and_writes_the_partial_notebook()
    {
        var path = Write("fails.ipynb",
            Code("Console.WriteLine(\"before\");"),
            Code("throw new InvalidOperationException(\"boom in cell two\");"),
            Code("Console.WriteLine(\"after\");"));
        var output = Path.Combine(_dir, "fails-out.ipynb");

        var result = await new NotebookRunner().RunAsync(path, output);

        Assert.False(result.Ok);
        Assert.Equal(2, result.CellsRun);
        Assert.Equal(2, result.Failure!.CellNumber);
        Assert.Equal(Path.GetFullPath(path), result.Failure.NotebookPath);
        Assert.Contains("boom in cell two", result.Failure.Message);
        var thrown = Assert.Throws<NotebookCellException>(() => result.EnsureSuccess());
        Assert.Contains("fails.ipynb", thrown.Message);
        Assert.Contains("cell 2", thrown.Message);
        Assert.Contains("boom in cell two", thrown.Message);

        var cells = ReadCells(output);
        Assert.Equal("before\n", Text(Outputs(cells[0]!)[0]));
        var error = Assert.Single(Outputs(cells[1]!));
        Assert.Equal("error", (string)error["output_type"]!);
        Assert.Contains("boom in cell two", (string)error["evalue"]!);
        Assert.Empty(Outputs(cells[2]!));
        Assert.Null(cells[2]!["execution_count"]?.GetValue<int?>());
    }

    [Fact]
    public async Task Cells_use_the_library_through_the_editor_reference_and_display_with_the_tcl_formatters()
    {
        var path = Write("library.ipynb",
            Code("""
                #r "../src/Tcl.Notebooks/bin/Release/net10.0/Tcl.dll"
                #r "../src/Tcl.Notebooks/bin/Release/net10.0/tcl-notebooks.dll"
                using Tcl.Clip;
                Tcl.Notebooks.TclFormatters.Register();
                var TclProfile = Tcl.Notebooks.NotebookProfile.Current;
                ClipTokenizer.Default.Encode("a photo").Length
                """),
            Code("using SixLabors.ImageSharp;\nusing SixLabors.ImageSharp.PixelFormats;\nnew Image<Rgb24>(3, 2, new Rgb24(255, 0, 0))"),
            Code("TorchSharp.torch.arange(100)"),
            Code("""
                var chart = Tcl.Visualization.Charts.Sweep(new double[] { 1, 2 },
                    new Dictionary<string, IReadOnlyList<double>> { ["a"] = new double[] { 3, 4 } }, "t", "x", "y");
                display(chart);
                chart
                """),
            Code("new List<Tcl.Demo.DemoResultRow> { new(\"synthetic-bg\", \"with background\", 5, 8, 41.5, 30.25) }"),
            Code("new Tcl.Evaluation.Metrics.SegmentationScores([\"sky\", \"cat\"], new([1, 3], [4, 4], [2, 4], [3, 4]), 1, false, 255)"));
        var output = Path.Combine(_dir, "library-out.ipynb");

        var result = await new NotebookRunner().RunAsync(path, output);

        Assert.True(result.Ok, result.Failure?.ToString());
        var cells = ReadCells(output);
        Assert.Contains("2", Data(Outputs(cells[0]!)[0], "text/plain") ?? Data(Outputs(cells[0]!)[0], "text/html"));
        var img = Data(Outputs(cells[1]!)[0], "text/html");
        Assert.StartsWith("<img src=\"data:image/png;base64,", img);
        var tensor = Data(Outputs(cells[2]!)[0], "text/plain")!;
        Assert.StartsWith("Tensor [100] Int64", tensor);
        Assert.DoesNotContain("99", tensor);
        var charts = Outputs(cells[3]!).Select(o => Data(o, "text/html")!).ToList();
        Assert.Equal(2, charts.Count);
        Assert.All(charts, html => Assert.Contains("Plotly.newPlot", html));
        Assert.All(charts, html => Assert.DoesNotMatch("<script[^>]*src=", html));
        Assert.Contains(Tcl.Visualization.PlotlyJs.Source[..200], charts[0]);
        Assert.True(charts[1].Length < 100_000, "plotly.js is inlined once per notebook");
        var table = Data(Outputs(cells[4]!)[0], "text/html")!;
        Assert.Contains("<table>", table);
        Assert.Contains("synthetic-bg", table);
        Assert.Contains("11.25", table);
        var scores = Data(Outputs(cells[5]!)[0], "text/html")!;
        Assert.Contains("<td>cat</td><td>75.00</td>", scores);
        Assert.Contains("<th>mean</th><th>50.00</th>", scores);
    }

    [Fact]
    public void Editor_references_resolve_to_the_runner_folder_and_other_relative_ones_to_the_notebook_folder()
    {
        var runner = new NotebookRunner(libraryDirectory: AppContext.BaseDirectory);
        var code = "#r \"../src/Tcl.Notebooks/bin/Release/net10.0/Tcl.dll\"\n#r \"lib/Other.dll\"\n#r \"nuget: X, 1.0\"\nvar x = 1;";
        var resolved = runner.ResolveReferences(code, "/nb");
        Assert.Contains($"#r \"{Path.Combine(AppContext.BaseDirectory, "Tcl.dll")}\"", resolved);
        Assert.Contains("#r \"/nb/lib/Other.dll\"", resolved);
        Assert.Contains("#r \"nuget: X, 1.0\"", resolved);
        Assert.Contains("#r \"" + Path.Combine(AppContext.BaseDirectory, "tcl-notebooks.dll") + "\"", runner.SetupCode());
        Assert.Throws<ArgumentException>(() => new NotebookRunner("huge"));
    }

    [Fact]
    public void Command_line_parses_profile_output_and_notebooks_and_rejects_bad_arguments()
    {
        var nb = Write("x.ipynb", Code("1"));
        Assert.True(Program.TryParse(["run", "--profile", "full", "--output", "o", nb], out var profile, out var output, out var notebooks, out _));
        Assert.Equal(("full", "o"), (profile, output));
        Assert.Equal([nb], notebooks);
        Assert.False(Program.TryParse([], out _, out _, out _, out _));
        Assert.False(Program.TryParse(["run"], out _, out _, out _, out _));
        Assert.False(Program.TryParse(["run", "--profile", "big", nb], out _, out _, out _, out _));
        Assert.False(Program.TryParse(["run", Path.Combine(_dir, "missing.ipynb")], out _, out _, out _, out var problem));
        Assert.Contains("missing.ipynb", problem);
    }

    private static JsonObject Code(string source) => new()
    {
        ["cell_type"] = "code", ["metadata"] = new JsonObject(), ["execution_count"] = null,
        ["outputs"] = new JsonArray(), ["source"] = source,
    };

    private static JsonObject Markdown(string source) => new()
    {
        ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source,
    };

    private string Write(string name, params JsonObject[] cells)
    {
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(cells),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "csharp" },
            },
            ["nbformat"] = 4, ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    private static JsonArray ReadCells(string path)
    {
        using (var stream = File.OpenRead(path)) // readable back by .NET Interactive's own reader
            Assert.NotEmpty(Microsoft.DotNet.Interactive.Documents.Jupyter.Notebook.Read(stream,
                new Microsoft.DotNet.Interactive.Documents.KernelInfoCollection
                {
                    new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp", "C#", ["c#"]),
                }).Elements);
        return JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
    }

    private static string Joined(JsonNode? node) =>
        node is JsonArray lines ? string.Concat(lines.Select(l => (string)l!)) : (string?)node ?? "";

    private static string Source(JsonNode cell) => Joined(cell["source"]);

    private static List<JsonObject> Outputs(JsonNode cell) => cell["outputs"]!.AsArray().Select(o => o!.AsObject()).ToList();

    private static string Text(JsonObject output) => Joined(output["text"]);

    private static string? Data(JsonObject output, string mime) =>
        output["data"]?[mime] is { } value ? Joined(value) : null;
}
