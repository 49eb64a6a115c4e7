using Tcl.Cli;

// The `tcl` command line: a System.CommandLine root with one subcommand per file under Commands/.
return CliRoot.Create().Parse(args).Invoke();
