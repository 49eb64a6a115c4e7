using System.Globalization;

namespace Tcl.Notebooks;

/// <summary>
/// <c>tcl-notebooks run [--profile smoke|full] [--output DIR] NOTEBOOK.ipynb...</c>: runs each notebook in its own
/// fresh kernel, writes <c>DIR/&lt;name&gt;.ipynb</c> executed (default DIR: <c>executed</c>) and prints one line per
/// notebook. Exit code 0 all ok, 1 a cell failed, 2 bad arguments.
/// </summary>
public static class Program
{
    private const string Usage = "usage: tcl-notebooks run [--profile smoke|full] [--output DIR] NOTEBOOK.ipynb...";

    /// <summary>Entry point.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (!TryParse(args, out var profile, out var output, out var notebooks, out var problem))
        {
            Console.Error.WriteLine(problem);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        var runner = new NotebookRunner(profile);
        var exit = 0;
        foreach (var notebook in notebooks)
        {
            var name = Path.GetFileNameWithoutExtension(notebook);
            var result = await runner.RunAsync(notebook, Path.Combine(output, name + ".ipynb"));
            var seconds = result.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
            if (result.Failure is { } f)
            {
                var firstLine = f.Message.Split('\n', 2)[0].TrimEnd();
                Console.WriteLine($"{name}: cell {f.CellNumber} failed: {firstLine} ({seconds} s)");
                exit = 1;
            }
            else
            {
                Console.WriteLine($"{name}: {result.CellsRun} cells, {seconds} s, ok");
            }
        }
        return exit;
    }

    /// <summary>Parses the command line; <paramref name="problem"/> says what is wrong when it returns false.</summary>
    public static bool TryParse(string[] args, out string profile, out string output, out List<string> notebooks, out string problem)
    {
        profile = NotebookProfile.Smoke;
        output = "executed";
        notebooks = [];
        problem = "";
        if (args.Length == 0 || args[0] != "run")
        {
            problem = args.Length == 0 ? "no command" : $"unknown command '{args[0]}'";
            return false;
        }
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--profile" when i + 1 < args.Length:
                    profile = args[++i];
                    if (!NotebookProfile.IsKnown(profile)) { problem = $"unknown profile '{profile}'"; return false; }
                    break;
                case "--output" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    problem = $"unknown or incomplete option '{a}'";
                    return false;
                default:
                    if (!File.Exists(args[i])) { problem = $"no such notebook '{args[i]}'"; return false; }
                    notebooks.Add(args[i]);
                    break;
            }
        }
        if (notebooks.Count == 0) { problem = "no notebook given"; return false; }
        return true;
    }
}
