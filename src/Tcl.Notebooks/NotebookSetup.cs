namespace Tcl.Notebooks;

/// <summary>
/// What a notebook needs before its first cell uses the library, done once per kernel by the package's kernel extension
/// (<c>Tcl.Notebooks.Interactive</c>) when the notebook runs <c>#r "nuget: Tcl.Notebooks, …"</c>: Plotly.NET's
/// FSharp.Core bound to the kernel's (<see cref="FSharpCoreBinding"/>), libtorch's native libraries loaded from the
/// NuGet packages folder (<see cref="LibTorchNatives"/>), and the display formatters (<see cref="TclFormatters"/>).
/// </summary>
public static class NotebookSetup
{
    private static int _done;

    /// <summary>Idempotent; safe to call from a cell as well.</summary>
    public static void Initialize()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        FSharpCoreBinding.Install();
        LibTorchNatives.Load();
        TclFormatters.Register();
    }
}
