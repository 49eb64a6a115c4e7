using Tcl.Notebooks.Runner;
using Xunit;

namespace Tcl.Tests.Notebooks;

/// <summary>The tcl-notebooks command line: what it accepts, and the message for what it does not.</summary>
public sealed class RunnerOptionsTests : IDisposable
{
    private readonly string _notebook = Path.Combine(Path.GetTempPath(), $"tcl-options-{Guid.NewGuid():N}.ipynb");

    public RunnerOptionsTests() => File.WriteAllText(_notebook, "{}");

    public void Dispose() => File.Delete(_notebook);

    [Fact]
    public void Run_takes_profile_charts_client_output_and_timeout()
    {
        var o = RunnerOptions.Parse(["run", "--profile", "full", "--charts", "static", "--client", "repl", "--output", "out", "--timeout", "60", _notebook]);

        Assert.Equal(("run", "full", "static", "repl", 60), (o.Command, o.Profile, o.Charts, o.Client.Name, o.TimeoutSeconds));
        Assert.Equal(Path.GetFullPath("out"), o.Output);
        Assert.Equal([_notebook], o.Notebooks);
    }

    [Fact]
    public void Defaults_are_smoke_jupyter_and_the_executed_folder()
    {
        var o = RunnerOptions.Parse(["run", _notebook]);

        Assert.Equal(("smoke", "interactive", "jupyter", Path.GetFullPath("executed")), (o.Profile, o.Charts, o.Client.Name, o.Output));
    }

    [Theory]
    [InlineData("unknown profile 'huge' (smoke or full)", "run", "--profile", "huge")]
    [InlineData("unknown client 'vscode' (jupyter or repl)", "run", "--client", "vscode")]
    [InlineData("unknown chart mode 'svg' (interactive or static)", "run", "--charts", "svg")]
    [InlineData("--timeout: '0' is not a positive number of seconds", "run", "--timeout", "0")]
    [InlineData("unknown option '--profile' for 'check'", "check", "--profile", "full")]
    [InlineData("no such notebook 'missing.ipynb'", "run", "missing.ipynb")]
    [InlineData("unknown command 'execute'", "execute")]
    public void Bad_arguments_say_what_is_wrong(string message, params string[] args)
    {
        var e = Assert.Throws<ArgumentException>(() => RunnerOptions.Parse(args.Append(_notebook).ToArray()));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void An_option_without_its_value_is_an_error() =>
        Assert.Equal("option '--output' needs a value", Assert.Throws<ArgumentException>(() => RunnerOptions.Parse(["run", _notebook, "--output"])).Message);

    [Fact]
    public void No_notebook_is_an_error() =>
        Assert.Equal("no notebook given", Assert.Throws<ArgumentException>(() => RunnerOptions.Parse(["check"])).Message);
}
