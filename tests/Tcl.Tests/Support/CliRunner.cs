using System.CommandLine;
using Tcl.Cli;

namespace Tcl.Tests.Support;

/// <summary>Runs a <c>tcl</c> command line in-process with captured output.</summary>
public static class CliRunner
{
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliRoot.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
