namespace Tcl.Notebooks.Runner;

/// <summary>The parsed command line of <c>tcl-notebooks</c> (see <see cref="Program"/>).</summary>
public sealed record RunnerOptions(string Command, string Profile, string Charts, NotebookClient Client, string Output,
    int TimeoutSeconds, IReadOnlyList<string> Notebooks)
{
    /// <exception cref="ArgumentException">Says what is wrong with the arguments.</exception>
    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new ArgumentException("no command");
        var command = args[0] is "run" or "check" ? args[0] : throw new ArgumentException($"unknown command '{args[0]}'");
        string profile = "smoke", charts = "interactive", output = "executed";
        var client = NotebookClient.Jupyter;
        var timeout = 10800; // a full-profile cell trains for minutes, for an hour on a busy machine
        var notebooks = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"option '{args[i]}' needs a value");
            switch (args[i])
            {
                case "--profile" when command == "run":
                    profile = Value();
                    if (profile is not ("smoke" or "full")) throw new ArgumentException($"unknown profile '{profile}' (smoke or full)");
                    break;
                case "--charts" when command == "run":
                    charts = Value();
                    if (charts is not ("interactive" or "static")) throw new ArgumentException($"unknown chart mode '{charts}' (interactive or static)");
                    break;
                case "--client" when command == "run":
                    var name = Value();
                    client = NotebookClient.Named(name) ?? throw new ArgumentException($"unknown client '{name}' (jupyter or repl)");
                    break;
                case "--output" when command == "run":
                    output = Value();
                    break;
                case "--timeout" when command == "run":
                    var text = Value();
                    if (!int.TryParse(text, out timeout) || timeout <= 0) throw new ArgumentException($"--timeout: '{text}' is not a positive number of seconds");
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"unknown option '{a}' for '{command}'");
                default:
                    if (!File.Exists(args[i])) throw new ArgumentException($"no such notebook '{args[i]}'");
                    notebooks.Add(Path.GetFullPath(args[i]));
                    break;
            }
        }
        if (notebooks.Count == 0) throw new ArgumentException("no notebook given");
        return new RunnerOptions(command, profile, charts, client, Path.GetFullPath(output), timeout, notebooks);
    }
}
