using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Tcl.IO;

namespace Tcl.Notebooks;

/// <summary>
/// Runs a C# <c>.ipynb</c> headless: each notebook gets a fresh in-process kernel (a <see cref="CompositeKernel"/> with
/// one <see cref="CSharpKernel"/>), its code cells run in order, and the executed notebook — every cell's displayed
/// values (all their mime types), return value, stdout, stderr and error — is written atomically to the output path.
/// Markdown cells are copied untouched. The run stops at the first failing cell and still writes what ran.
/// <para>
/// Before the first cell the runner submits a setup cell (outputs discarded) that references <c>Tcl.dll</c> and
/// <c>tcl-notebooks.dll</c> from <see cref="LibraryDirectory"/>, sets the environment variable <c>TCL_PROFILE</c> and
/// the C# variable <c>TclProfile</c> to the profile, and calls <see cref="TclFormatters.Register"/>. In every cell,
/// a <c>#r "…/X.dll"</c> line whose file name exists in <see cref="LibraryDirectory"/> is rewritten to that copy (so
/// the notebooks' editor path <c>../src/Tcl.Notebooks/bin/Release/net10.0/Tcl.dll</c> and the runner load the same
/// assembly); other relative <c>#r</c> paths are resolved against the notebook's folder.
/// </para>
/// <para>The kernel runs in this process: each run resets .NET Interactive's process-wide <see cref="Formatter"/>
/// settings and sets <c>TCL_PROFILE</c> for the process, so run notebooks one after another, not in parallel.</para>
/// </summary>
public sealed class NotebookRunner
{
    private static readonly Regex ReferenceLine = new("""^(?<head>[ \t]*#r[ \t]+")(?<path>[^"]+\.dll)(?<tail>")""",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>The kernel names a C# notebook cell may carry.</summary>
    private static KernelInfoCollection CSharpKernels() => new()
    {
        new Microsoft.DotNet.Interactive.Documents.KernelInfo("csharp", "C#", ["c#", "C#", "cs"]),
    };

    /// <param name="profile"><c>smoke</c> or <c>full</c> (see <see cref="NotebookProfile"/>).</param>
    /// <param name="libraryDirectory">Folder with <c>Tcl.dll</c>, <c>tcl-notebooks.dll</c> and their dependencies;
    /// default the running program's own folder (<see cref="AppContext.BaseDirectory"/>).</param>
    public NotebookRunner(string profile = NotebookProfile.Smoke, string? libraryDirectory = null)
    {
        if (!NotebookProfile.IsKnown(profile))
            throw new ArgumentException($"Unknown profile '{profile}': use '{NotebookProfile.Smoke}' or '{NotebookProfile.Full}'.", nameof(profile));
        Profile = profile;
        LibraryDirectory = Path.GetFullPath(libraryDirectory ?? AppContext.BaseDirectory);
    }

    /// <summary>The profile passed to the notebooks.</summary>
    public string Profile { get; }

    /// <summary>Where <c>Tcl.dll</c> and <c>tcl-notebooks.dll</c> are referenced from.</summary>
    public string LibraryDirectory { get; }

    /// <summary>
    /// Runs <paramref name="notebookPath"/> and writes the executed notebook to <paramref name="outputPath"/>. A failing
    /// cell does not throw: it is reported in <see cref="NotebookRunResult.Failure"/> (see
    /// <see cref="NotebookRunResult.EnsureSuccess"/>).
    /// </summary>
    public async Task<NotebookRunResult> RunAsync(string notebookPath, string outputPath, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        notebookPath = Path.GetFullPath(notebookPath);
        outputPath = Path.GetFullPath(outputPath);
        InteractiveDocument document;
        await using (var stream = File.OpenRead(notebookPath))
            document = Notebook.Read(stream, CSharpKernels());

        var notebookDir = Path.GetDirectoryName(notebookPath)!;
        var cells = document.Elements;
        foreach (var cell in cells.Where(IsCode))
        {
            cell.Outputs.Clear();
            cell.ExecutionOrder = 0;
        }

        Formatter.ResetToDefault();
        using var kernel = CreateKernel();
        var setup = await kernel.SubmitCodeAsync(SetupCode());
        if (setup.Events.OfType<CommandFailed>().FirstOrDefault() is { } setupFailed)
            throw new InvalidOperationException($"{notebookPath}: the runner's setup cell failed: {setupFailed.Message}");

        NotebookCellFailure? failure = null;
        var run = 0;
        for (var i = 0; i < cells.Count && failure is null; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cell = cells[i];
            if (!IsCode(cell) || string.IsNullOrWhiteSpace(cell.Contents))
                continue;
            run++;
            cell.ExecutionOrder = run;
            var result = await kernel.SubmitCodeAsync(ResolveReferences(cell.Contents, notebookDir));
            var error = Collect(result.Events, cell, run);
            if (error is not null)
                failure = new NotebookCellFailure(notebookPath, i + 1, error);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        AtomicFile.WriteText(outputPath, Notebook.ToJupyterJson(document, "csharp"));
        return new NotebookRunResult(notebookPath, outputPath, run, clock.Elapsed, failure);
    }

    /// <summary>The code of the setup cell the runner submits before the notebook's first cell.</summary>
    public string SetupCode()
    {
        var code = new StringBuilder();
        code.AppendLine($"#r \"{Path.Combine(LibraryDirectory, "Tcl.dll")}\"");
        code.AppendLine($"#r \"{Path.Combine(LibraryDirectory, "tcl-notebooks.dll")}\"");
        code.AppendLine($"System.Environment.SetEnvironmentVariable(\"{NotebookProfile.EnvironmentVariable}\", \"{Profile}\");");
        code.AppendLine($"var TclProfile = \"{Profile}\";");
        code.AppendLine("Tcl.Notebooks.TclFormatters.Register();");
        return code.ToString();
    }

    /// <summary>
    /// Rewrites each <c>#r "…/X.dll"</c> line: to <see cref="LibraryDirectory"/>'s X.dll when that exists, otherwise a
    /// relative path is made absolute against <paramref name="notebookDir"/>.
    /// </summary>
    public string ResolveReferences(string code, string notebookDir) => ReferenceLine.Replace(code, m =>
    {
        var path = m.Groups["path"].Value;
        var local = Path.Combine(LibraryDirectory, Path.GetFileName(path));
        var resolved = File.Exists(local) ? local
            : Path.IsPathRooted(path) ? path
            : Path.GetFullPath(Path.Combine(notebookDir, path));
        return m.Groups["head"].Value + resolved + m.Groups["tail"].Value;
    });

    private static bool IsCode(InteractiveDocumentElement cell) =>
        cell.KernelName is not null && CSharpKernels().Contains(cell.KernelName);

    private static CompositeKernel CreateKernel()
    {
        var csharp = new CSharpKernel().UseKernelHelpers().UseValueSharing();
        var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        return kernel;
    }

    /// <summary>Appends a submission's outputs to <paramref name="cell"/>; returns the error message, or null.</summary>
    private static string? Collect(IReadOnlyList<KernelEvent> events, InteractiveDocumentElement cell, int executionOrder)
    {
        // Display id → index of its output in the cell, so an update replaces the shown value in place.
        var displays = new Dictionary<string, int>();
        string? error = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case StandardOutputValueProduced o:
                    cell.Outputs.Add(new TextElement(Plain(o), "stdout"));
                    break;
                case StandardErrorValueProduced o:
                    cell.Outputs.Add(new TextElement(Plain(o), "stderr"));
                    break;
                case ReturnValueProduced r when Data(r) is { Count: > 0 } data:
                    var rv = new ReturnValueElement { ExecutionOrder = executionOrder };
                    foreach (var (k, v) in data) rv.Data[k] = v;
                    cell.Outputs.Add(rv);
                    break;
                case DisplayedValueUpdated u when u.ValueId is not null && displays.TryGetValue(u.ValueId, out var index):
                    cell.Outputs[index] = new DisplayElement(Data(u));
                    break;
                case DisplayedValueProduced d:
                    if (d.ValueId is not null) displays[d.ValueId] = cell.Outputs.Count;
                    cell.Outputs.Add(new DisplayElement(Data(d)));
                    break;
                case CommandFailed f:
                    error = f.Message;
                    // ErrorElement's constructor takes the value (Jupyter's evalue) first, then the name (ename).
                    var name = f.Exception?.GetType().Name ?? "Error";
                    var value = f.Exception?.Message ?? f.Message.Split('\n', 2)[0].TrimEnd();
                    cell.Outputs.Add(new ErrorElement(value, name, f.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
                    break;
            }
        }
        return error;
    }

    private static Dictionary<string, object> Data(DisplayEvent e) =>
        e.FormattedValues.Where(v => !v.SuppressDisplay).GroupBy(v => v.MimeType)
            .ToDictionary(g => g.Key, g => (object)g.First().Value);

    private static string Plain(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? e.FormattedValues.FirstOrDefault()?.Value ?? "";
}
