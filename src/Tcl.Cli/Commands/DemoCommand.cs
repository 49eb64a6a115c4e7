using System.CommandLine;
using System.Diagnostics;
using Tcl.Cli.Benchmarks;
using Tcl.Cli.Progress;
using Tcl.Demo;

namespace Tcl.Cli.Commands;

/// <summary>
/// <c>tcl demo [--quick | --profile NAME|FILE] [--output DIR] [--seed N] [--reuse] [--print-profile]</c>: the embedded default end to end — synthetic world, CLIP
/// pre-training, TCL training, evaluation of TCL against MaskCLIP, report. Exit codes: 0 done, 1 failed, 2 bad profile, 130 cancelled.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "tiny profile that runs every stage in about a minute (CI); its numbers mean nothing" };
        var profileOption = new Option<string?>("--profile") { Description = "profile preset (full, quick) or a JSON file (see --print-profile)" };
        var print = new Option<bool>("--print-profile") { Description = "print the profile as JSON (every field) and exit" };
        var output = new Option<string>("--output") { Description = "output folder", DefaultValueFactory = _ => "runs/demo" };
        var seed = new Option<int>("--seed") { Description = "seed of the world and both trainings", DefaultValueFactory = _ => 0 };
        var reuse = new Option<bool>("--reuse") { Description = "keep the world, CLIP and TCL already in --output when an earlier run made them with the same profile" };
        var command = new Command("demo", "Run TCL end to end on the synthetic world: pre-train a small CLIP, train TCL, evaluate against MaskCLIP, write a report.")
        {
            quick, profileOption, print, output, seed, reuse,
        };
        command.SetAction((parse, cancellation) =>
        {
            var io = parse.InvocationConfiguration;
            DemoProfile profile;
            try
            {
                profile = parse.GetValue(profileOption) is { } name ? DemoProfile.Load(name) : parse.GetValue(quick) ? DemoProfile.Quick : DemoProfile.Full;
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
            {
                io.Error.WriteLine($"tcl demo: {e.Message}");
                return Task.FromResult(2);
            }
            if (parse.GetResult(seed) is { Implicit: false }) profile = profile with { Seed = parse.GetValue(seed) };
            if (parse.GetValue(print))
            {
                io.Output.WriteLine(profile.ToJson());
                return Task.FromResult(0);
            }
            return Task.FromResult(Run(profile, parse.GetValue(output)!, parse.GetValue(reuse), io.Output, io.Error, cancellation));
        });
        return command;
    }

    private static int Run(DemoProfile profile, string output, bool reuse, TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        bool interactive = !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out);
        var pipeline = new DemoPipeline(profile, output);
        stdout.WriteLine($"tcl demo: profile '{profile.Name}', seed {profile.Seed}, output {pipeline.Layout.Root}");
        return CommandErrors.Run("demo", stderr, () =>
        {
            var result = pipeline.Run(new DemoProgressView(stdout, interactive), cancellation, reuse);
            stdout.WriteLine();
            stdout.Write(DemoResultsTable.Format(DemoResultsTable.Rows(result)));
            stdout.WriteLine("CLIP zero-shot on the test scenes: " +
                             string.Join(", ", result.ClipProbe.Select(p => $"{p.Attribute} {p.Accuracy * 100:F1} % (chance {p.Chance * 100:F1} %)")));
            stdout.WriteLine($"stages: {string.Join(", ", result.Stages.Select(s => $"{s.Stage.ToString().ToLowerInvariant()} {(s.Reused ? "reused" : $"{s.Seconds:F0} s")}"))}; " +
                             $"total {clock.Elapsed.TotalMinutes:F1} min, peak memory {BenchmarkClock.PeakResidentBytes() / (1024 * 1024)} MiB");
            stdout.WriteLine($"report: {Path.Combine(result.Layout.Report, "report.html")}");
            return 0;
        });
    }
}
