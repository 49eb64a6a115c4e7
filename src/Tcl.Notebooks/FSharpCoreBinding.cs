using System.Reflection;
using System.Runtime.Loader;

namespace Tcl.Notebooks;

/// <summary>
/// Plotly.NET 6.0.0 is compiled against FSharp.Core 10.1, but the .NET Interactive kernel (1.0.712001) runs its F#
/// kernel on FSharp.Core 10.0 and has already loaded it into the default load context, where a second FSharp.Core
/// cannot be loaded. The runtime then fails every Plotly.NET call with "Could not load file or assembly 'FSharp.Core,
/// Version=10.1.0.0'". This binds such a request to the FSharp.Core already loaded: Plotly.NET uses nothing that 10.1
/// added (every chart of the toolkit is built and serialised this way in the notebooks' CI run).
/// </summary>
public static class FSharpCoreBinding
{
    private static int _installed;

    /// <summary>Installs the binding (once per process).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += (_, name) => Bind(name);
    }

    /// <summary>The assembly a failed load of <paramref name="name"/> is bound to: the loaded FSharp.Core, or null.</summary>
    public static Assembly? Bind(AssemblyName name)
    {
        if (name.Name != "FSharp.Core") return null;
        // Only a request for a newer FSharp.Core than the one loaded can fail this way.
        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name == "FSharp.Core" && AssemblyLoadContext.GetLoadContext(a) == AssemblyLoadContext.Default)
            .OrderByDescending(a => a.GetName().Version)
            .FirstOrDefault();
    }
}
