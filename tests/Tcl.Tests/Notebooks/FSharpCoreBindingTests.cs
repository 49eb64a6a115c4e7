using System.Reflection;
using Tcl.Notebooks;
using Xunit;

namespace Tcl.Tests.Notebooks;

/// <summary>
/// The binding that lets Plotly.NET (built on FSharp.Core 10.1) run in a kernel that loaded FSharp.Core 10.0: a request
/// for any FSharp.Core is answered with the one loaded; nothing else is touched.
/// </summary>
public sealed class FSharpCoreBindingTests
{
    [Fact]
    public void A_request_for_a_newer_FSharp_Core_gets_the_loaded_one()
    {
        var loaded = typeof(Microsoft.FSharp.Core.Unit).Assembly;

        var bound = FSharpCoreBinding.Bind(new AssemblyName("FSharp.Core, Version=99.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a"));

        Assert.Same(loaded, bound);
    }

    [Fact]
    public void Other_assemblies_are_left_to_the_runtime() =>
        Assert.Null(FSharpCoreBinding.Bind(new AssemblyName("Giraffe.ViewEngine, Version=1.4.0.0")));
}
