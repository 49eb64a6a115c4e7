using System.CommandLine;
using System.Globalization;
using Tcl.Cli.Progress;
using Tcl.Clip.Weights;
using Tcl.Training;

namespace Tcl.Cli.Commands;

/// <summary>
/// <c>tcl train --config FILE [--resume [PATH]] [--steps N] [--output DIR]</c>: trains TCL as the config says
/// (<see cref="TclTrainConfig"/>; <c>--print-config</c> writes a complete default one to start from), with a
/// progress bar, a metrics log and checkpoints. Ctrl+C stops after the step in flight and writes a checkpoint;
/// <c>--resume</c> continues from the newest checkpoint of the output folder (or from the file given) exactly as if
/// the run had not stopped. Exit codes: 0 done, 1 bad input (message names the file and field), 2 training diverged
/// (non-finite loss), 130 interrupted.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "training config (JSON); see --print-config" };
        var resume = new Option<string?>("--resume")
        {
            Description = "continue from a checkpoint file, or from the newest checkpoint in a folder (default: the config's output_dir)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var steps = new Option<long?>("--steps") { Description = "override the config's total steps" };
        var output = new Option<string?>("--output") { Description = "override the config's output_dir" };
        var printConfig = new Option<bool>("--print-config") { Description = "print the default (official) config as JSON and exit" };
        var command = new Command("train", "Train TCL on webdataset image-caption shards (spec §3), with checkpoints and resume.")
        {
            config, resume, steps, output, printConfig,
        };
        command.SetAction((parse, cancellation) =>
        {
            var io = parse.InvocationConfiguration;
            if (parse.GetValue(printConfig))
            {
                io.Output.WriteLine(new TclTrainConfig().ToJson());
                return Task.FromResult(0);
            }
            var file = parse.GetValue(config);
            if (file is null)
            {
                io.Error.WriteLine("error: --config FILE is required (start from `tcl train --print-config`).");
                return Task.FromResult(1);
            }
            bool resuming = parse.GetResult(resume) is not null;
            return Task.FromResult(Run(file, resuming, parse.GetValue(resume), parse.GetValue(steps), parse.GetValue(output),
                io.Output, io.Error, cancellation));
        });
        return command;
    }

    private static int Run(string configPath, bool resuming, string? resumeFrom, long? steps, string? outputDir,
        TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        TclTrainingRun run;
        try
        {
            var config = TclTrainConfig.Load(configPath);
            if (steps is { } s) config = config with { Steps = s };
            if (outputDir is not null) config = config with { OutputDir = Path.GetFullPath(outputDir) };
            config.Validate(configPath);
            run = TclTrainingRun.Create(config, resuming ? resumeFrom ?? config.OutputDir : null);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or WeightLoadException or ArgumentException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
        using (run)
        {
            var c = run.Config;
            var clip = run.Model.Clip;
            output.WriteLine($"TCL training: {(c.Ablation is null ? "TCL" : $"ablation {c.Ablation}")}, " +
                             $"{c.Steps.ToString("N0", CultureInfo.InvariantCulture)} steps of {c.BatchSize}, output {c.OutputDir}");
            output.WriteLine($"  CLIP   {run.ClipReport.Source} ({run.ClipReport.Format?.Describe()}): ViT width {clip.Vision.Width}, " +
                             $"{clip.Vision.Layers} layers, patch {clip.Vision.PatchSize}; {run.ClipReport.TensorsLoaded} tensors loaded");
            output.WriteLine($"  data   {run.DataDescription}");
            output.WriteLine($"  losses {string.Join(", ", Terms(c.Losses))}; decoder-only for {c.DecoderOnlySteps} steps");
            if (run.Resumed is { } r) output.WriteLine($"  resumed at step {r.Step} (data epoch {r.Cursor.Epoch}, record {r.Cursor.Consumed})");
            try
            {
                var bar = new TrainingProgressBar(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
                var result = run.Run(bar, cancellation);
                output.WriteLine(result.Cancelled
                    ? $"interrupted after step {result.StepsCompleted}; resume with --resume (checkpoint {result.LastCheckpoint})"
                    : $"done: {result.StepsCompleted} steps, last loss {result.LastLoss:F4}, checkpoint {result.LastCheckpoint}, data {run.Data.Counters}");
                return result.Cancelled ? 130 : 0;
            }
            catch (NonFiniteLossException e)
            {
                error.WriteLine($"error: {e.Message}");
                return 2;
            }
        }
    }

    private static IEnumerable<string> Terms(Grounding.TclLossConfig l)
    {
        if (l.ImageTcl > 0) yield return $"TCL_image {l.ImageTcl}";
        if (l.FeatureTcl > 0) yield return $"TCL_feature {l.FeatureTcl}";
        if (l.Area > 0) yield return $"area {l.Area}";
        if (l.TotalVariation > 0) yield return $"TV {l.TotalVariation}";
        if (l.Contrastive > 0) yield return $"CL {l.Contrastive}";
    }
}
