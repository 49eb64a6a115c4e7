using Microsoft.DotNet.Interactive;

namespace Tcl.Notebooks.Interactive;

/// <summary>
/// Loaded by the .NET Interactive kernel (Jupyter, <c>dotnet repl</c>, VS Code) from the package's
/// <c>interactive-extensions/dotnet</c> folder when a notebook references <c>Tcl.Notebooks</c>; sets the notebook up
/// before its next cell runs (<see cref="NotebookSetup.Initialize"/>).
/// </summary>
public sealed class TclKernelExtension : IKernelExtension
{
    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        NotebookSetup.Initialize();
        return Task.CompletedTask;
    }
}
