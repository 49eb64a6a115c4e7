using System.CommandLine;
using System.Diagnostics;
using Tcl.Cli.Benchmarks;
using Tcl.Cli.Progress;
using Tcl.Demo;
using Tcl.Training;

namespace Tcl.Cli.Commands;

/// <summary>
/// <c>tcl ablate [--presets A,C,H | --all] [--quick | --profile NAME|FILE] [--seed N] [--output DIR] [--fresh] [--no-maskclip]</c>:
/// the ablation rows A–H on the synthetic world — one world and CLIP (reused from a demo run in the same output
/// folder), one TCL training per row, every row evaluated on every synthetic benchmark; prints the table and the
/// poster's orderings with our verdicts, writes <c>ablations/ablations.csv</c> and <c>.json</c>.
/// Exit codes: 0 done, 1 failed, 2 bad arguments, 130 cancelled.
/// </summary>
public static class AblateCommand
{
    public static Command Create()
    {
        var presets = new Option<string?>("--presets") { Description = "comma-separated rows to run, e.g. A,C,H (default: all of A–H)" };
        var all = new Option<bool>("--all") { Description = "run all rows A–H (the default)" };
        var quick = new Option<bool>("--quick") { Description = "tiny profile (CI); its numbers mean nothing" };
        var profileOption = new Option<string?>("--profile") { Description = "demo profile preset (full, quick) or a JSON file (see tcl demo --print-profile)" };
        var seed = new Option<int>("--seed") { Description = "seed of the world and every training", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--output") { Description = "output folder; a demo run there with the same profile lends its world and CLIP", DefaultValueFactory = _ => "runs/demo" };
        var fresh = new Option<bool>("--fresh") { Description = "run every stage again instead of reusing finished ones with the same inputs" };
        var noMaskClip = new Option<bool>("--no-maskclip") { Description = "leave out the training-free MaskCLIP reference row" };
        var command = new Command("ablate", "Train and evaluate the ablation rows A–H of the poster on the synthetic world; print the table and which orderings reproduce.")
        {
            presets, all, quick, profileOption, seed, output, fresh, noMaskClip,
        };
        command.SetAction((parse, cancellation) =>
        {
            var io = parse.InvocationConfiguration;
            DemoProfile profile;
            IReadOnlyList<AblationPreset> rows;
            try
            {
                profile = parse.GetValue(profileOption) is { } name ? DemoProfile.Load(name) : parse.GetValue(quick) ? DemoProfile.Quick : DemoProfile.Full;
                var names = parse.GetValue(presets) is { } list && !parse.GetValue(all)
                    ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : AblationPresets.All.Select(p => p.Name).ToArray();
                rows = AblationStudy.Resolve(names);
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
            {
                io.Error.WriteLine($"tcl ablate: {e.Message}");
                return Task.FromResult(2);
            }
            if (parse.GetResult(seed) is { Implicit: false }) profile = profile with { Seed = parse.GetValue(seed) };
            return Task.FromResult(Run(profile, rows, parse.GetValue(output)!, !parse.GetValue(fresh), !parse.GetValue(noMaskClip), io.Output, io.Error, cancellation));
        });
        return command;
    }

    private static int Run(DemoProfile profile, IReadOnlyList<AblationPreset> rows, string output, bool reuse, bool maskClip,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        bool interactive = !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out);
        var study = new AblationStudy(profile, output);
        stdout.WriteLine($"tcl ablate: rows {string.Join(",", rows.Select(r => r.Name))}, profile '{profile.Name}', seed {profile.Seed}, output {study.Pipeline.Layout.Root}");
        return CommandErrors.Run("ablate", stderr, () =>
        {
            var result = study.Run(rows.Select(r => r.Name), new DemoProgressView(stdout, interactive), cancellation, reuse, maskClip);
            stdout.WriteLine();
            stdout.Write(AblationTable.Format(result.Benchmarks, result.Rows, result.Claims));
            stdout.WriteLine($"headline: mean mIoU (%) over the {result.Benchmarks.Count} synthetic benchmarks; protocol {profile.Protocol}");
            stdout.WriteLine($"total {clock.Elapsed.TotalMinutes:F1} min, peak memory {BenchmarkClock.PeakResidentBytes() / (1024 * 1024)} MiB");
            stdout.WriteLine($"table: {Path.Combine(result.Folder, AblationTable.CsvFileName)}");
            return 0;
        }, "cancelled; finished rows are kept and reused by the next run.");
    }
}
