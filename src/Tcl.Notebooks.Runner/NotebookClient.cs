using System.Diagnostics;

namespace Tcl.Notebooks.Runner;

/// <summary>
/// A real .NET Interactive client that executes a notebook: <c>jupyter nbconvert --execute</c> with the
/// <c>.net-csharp</c> kernel (Microsoft.dotnet-interactive), or <c>dotnet repl</c>. Both start the kernel in the
/// notebook's folder, so the notebook's <c>#i "nuget: ../artifacts/packages"</c> resolves; both run every cell even
/// after an error, and the executed notebook shows which cells failed.
/// </summary>
public sealed record NotebookClient(string Name, string Program, Func<string, string, int, IReadOnlyList<string>> Arguments)
{
    /// <summary>Jupyter's nbconvert (Debian: jupyter-nbconvert, python3-nbclient, jupyter-client, python3-ipykernel).</summary>
    public static NotebookClient Jupyter { get; } = new("jupyter", "jupyter", (input, output, timeout) =>
    [
        "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
        "--ExecutePreprocessor.kernel_name=.net-csharp",
        $"--ExecutePreprocessor.timeout={timeout}", "--ExecutePreprocessor.startup_timeout=300",
        "--output-dir", Path.GetDirectoryName(output)!, "--output", Path.GetFileName(output), input,
    ]);

    /// <summary><c>dotnet repl</c> 0.3 (<c>dotnet tool install -g dotnet-repl</c>); it has no per-cell timeout.</summary>
    public static NotebookClient Repl { get; } = new("repl", "dotnet", (input, output, _) =>
        ["repl", "--run", input, "--exit-after-run", "--output-format", "ipynb", "--output-path", output]);

    /// <summary>The client called <paramref name="name"/>, or null.</summary>
    public static NotebookClient? Named(string name) => name switch { "jupyter" => Jupyter, "repl" => Repl, _ => null };

    /// <summary>
    /// Executes <paramref name="input"/> into <paramref name="output"/> with <c>TCL_PROFILE</c> set to
    /// <paramref name="profile"/> and <c>TCL_NOTEBOOK_CHARTS</c> to <paramref name="charts"/>; returns the client's exit code and the end of what it printed (for a diagnosis when
    /// no notebook was written).
    /// </summary>
    public (int ExitCode, string LogTail) Execute(string input, string output, string profile, string charts, int cellTimeoutSeconds)
    {
        var start = new ProcessStartInfo(Program)
        {
            WorkingDirectory = Path.GetDirectoryName(input)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments(input, output, cellTimeoutSeconds)) start.ArgumentList.Add(argument);
        start.Environment["TCL_PROFILE"] = profile;
        start.Environment["TCL_NOTEBOOK_CHARTS"] = charts;
        var log = new Queue<string>();
        void Keep(string? line)
        {
            if (line is null) return;
            lock (log)
            {
                log.Enqueue(line);
                if (log.Count > 40) log.Dequeue();
            }
        }
        using var process = System.Diagnostics.Process.Start(start)
            ?? throw new InvalidOperationException($"'{Program}' could not be started.");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        lock (log) return (process.ExitCode, string.Join('\n', log));
    }
}
