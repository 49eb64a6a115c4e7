using System.CommandLine;
using Tcl.Cli.Commands;

namespace Tcl.Cli;

/// <summary>
/// The root of the <c>tcl</c> command line. Each subcommand lives in its own file under <c>Commands/</c> and exposes
/// a <c>Create()</c> factory; adding one (demo, train, evaluate, …) is one file plus one line here. Kept separate
/// from <c>Program.cs</c> so tests can invoke commands with their own output writers.
/// </summary>
public static class CliRoot
{
    /// <summary>The root command with every subcommand registered.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("TCL (Text-grounded Contrastive Learning, CVPR 2023) on TorchSharp: CLIP weights, " +
                                   "training, open-vocabulary segmentation and evaluation.");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(AblateCommand.Create());
        root.Subcommands.Add(InspectWeightsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }
}
