using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Tcl.Notebooks.Runner;

/// <summary>
/// <c>tcl-notebooks run [--profile smoke|full] [--charts interactive|static] [--client jupyter|repl] [--output DIR]
/// [--timeout SECONDS] NOTEBOOK...</c>
/// executes each notebook in a real client and checks it; <c>tcl-notebooks check NOTEBOOK...</c> checks notebooks
/// that are already executed (the committed ones). One line per notebook. Exit code 0 all ok, 1 a notebook has a
/// problem, 2 bad arguments or a client missing.
/// </summary>
public static class Program
{
    private const string Usage = """
        usage: tcl-notebooks run [--profile smoke|full] [--charts interactive|static] [--client jupyter|repl] [--output DIR]
                                 [--timeout SECONDS] NOTEBOOK.ipynb...
               tcl-notebooks check NOTEBOOK.ipynb...
        """;

    public static int Main(string[] args)
    {
        try
        {
            var options = RunnerOptions.Parse(args);
            return options.Command == "check" ? Check(options.Notebooks) : Run(options);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    private static int Check(IReadOnlyList<string> notebooks)
    {
        var exit = 0;
        foreach (var path in notebooks)
        {
            var notebook = NotebookOutputs.Read(path);
            exit |= Report(Path.GetFileNameWithoutExtension(path), NotebookOutputs.CodeCells(notebook),
                NotebookOutputs.Problems(notebook, requireOutputs: true), null);
        }
        return exit;
    }

    private static int Run(RunnerOptions options)
    {
        var exit = 0;
        Directory.CreateDirectory(options.Output);
        foreach (var path in options.Notebooks)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var files = ExecutedNotebookFiles.For(options.Output, name);
            File.Delete(files.Scratch);
            var clock = Stopwatch.StartNew();
            int clientExit;
            string log;
            try
            {
                (clientExit, log) = options.Client.Execute(path, files.Scratch, options.Profile, options.Charts, options.TimeoutSeconds);
            }
            catch (Win32Exception)
            {
                Console.Error.WriteLine($"'{options.Client.Program}' was not found: install the {options.Client.Name} client (see notebooks/README.md).");
                return 2;
            }
            var seconds = clock.Elapsed.TotalSeconds;
            if (!File.Exists(files.Scratch))
            {
                Console.WriteLine($"{name}: {options.Client.Name} wrote no notebook (exit code {clientExit}, {Seconds(seconds)}); its last output:\n{log}");
                exit = 1;
                continue;
            }
            var notebook = NotebookOutputs.Read(files.Scratch);
            KernelBootstrap.Remove(notebook);
            var problems = NotebookOutputs.Problems(notebook, requireOutputs: false);
            File.WriteAllText(files.Scratch, notebook.ToJsonString(NotebookJson.Options) + "\n");
            files.Publish(clean: problems.Count == 0);
            exit |= Report(name, NotebookOutputs.CodeCells(notebook), problems, seconds);
        }
        return exit;
    }

    private static int Report(string name, int codeCells, IReadOnlyList<NotebookProblem> problems, double? seconds)
    {
        var time = seconds is { } s ? $", {Seconds(s)}" : "";
        if (problems.Count == 0)
        {
            Console.WriteLine($"{name}: {codeCells} code cells{time}, ok");
            return 0;
        }
        Console.WriteLine($"{name}: {problems.Count} problem(s){time}, first in {problems[0]}");
        foreach (var p in problems.Skip(1)) Console.WriteLine($"  {p}");
        return 1;
    }

    private static string Seconds(double s) => s.ToString("F1", CultureInfo.InvariantCulture) + " s";
}
