using System.CommandLine;
using System.Globalization;
using Tcl.Cli.Progress;
using Tcl.Clip.Weights;
using Tcl.Training;

namespace Tcl.Cli.Commands;

/// <summary>
/// <c>tcl train --config FILE [--resume [PATH] [--allow-config-change]] [--overwrite] [--steps N] [--output DIR]</c>:
/// trains TCL as the config says (<see cref="TclTrainConfig"/>; <c>--print-config</c> writes a complete default one
/// to start from), with a progress bar, a metrics log and checkpoints. Ctrl+C stops after the step in flight and
/// writes a checkpoint; <c>--resume</c> continues from the newest intact checkpoint of the output folder (or from the
/// file given) exactly as if the run had not stopped. A fresh run into a folder that holds a run is refused unless
/// <c>--overwrite</c>; a resume with a changed recipe unless <c>--allow-config-change</c>. Files the library skipped
/// or cleaned up are printed as <c>warning:</c> lines on stderr.
/// Exit codes: 0 done, 1 bad input (config, weights, checkpoint, data, or an output folder holding another run; the
/// message names the file and what was expected), 2 training diverged (non-finite loss), 3 another run is writing
/// into the output folder, 130 interrupted.
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
        var overwrite = new Option<bool>("--overwrite") { Description = "fresh run: delete the checkpoints and metrics.jsonl of an earlier run in the output folder first" };
        var allowConfigChange = new Option<bool>("--allow-config-change")
        {
            Description = "--resume: continue although the config differs from the checkpoint's (batch, LR, losses …); the changed fields are printed as warnings",
        };
        var printConfig = new Option<bool>("--print-config") { Description = "print the default (official) config as JSON and exit" };
        var command = new Command("train", "Train TCL on webdataset image-caption shards (official recipe), with checkpoints and resume.")
        {
            config, resume, overwrite, allowConfigChange, steps, output, printConfig,
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
            bool overwriting = parse.GetValue(overwrite), allowChange = parse.GetValue(allowConfigChange);
            if (resuming && overwriting)
            {
                io.Error.WriteLine("error: --resume continues the run in the output folder and --overwrite deletes it; give one of them.");
                return Task.FromResult(1);
            }
            if (allowChange && !resuming)
            {
                io.Error.WriteLine("error: --allow-config-change only applies with --resume.");
                return Task.FromResult(1);
            }
            var request = new Request(file, resuming, parse.GetValue(resume), overwriting, allowChange, parse.GetValue(steps), parse.GetValue(output));
            return Task.FromResult(Run(request, io.Output, io.Error, cancellation));
        });
        return command;
    }

    private sealed record Request(string ConfigPath, bool Resuming, string? ResumeFrom, bool Overwrite, bool AllowConfigChange, long? Steps, string? OutputDir);

    private static int Run(Request r, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        TclTrainingRun run;
        var warnings = new WarningPrinter(error);
        try
        {
            var config = TclTrainConfig.Load(r.ConfigPath);
            if (r.Steps is { } s) config = config with { Steps = s };
            if (r.OutputDir is not null) config = config with { OutputDir = Path.GetFullPath(r.OutputDir) };
            config.Validate(r.ConfigPath);
            var start = r.Resuming
                ? TrainingStart.Resume(r.ResumeFrom ?? config.OutputDir, r.AllowConfigChange)
                : new TrainingStart(Overwrite: r.Overwrite);
            run = TclTrainingRun.Create(config, start, warnings);
        }
        catch (Exception e) when (CommandErrors.IsUserError(e))
        {
            return Fail(error, e);
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
            if (run.Resumed is { } resumed) output.WriteLine($"  resumed at step {resumed.Step} (data epoch {resumed.Cursor.Epoch}, record {resumed.Cursor.Consumed})");
            try
            {
                var bar = new TrainingProgressBar(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected, error);
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
            catch (Exception e) when (CommandErrors.IsUserError(e))
            {
                // No usable sample in any shard, a full disk while writing a checkpoint …: said plainly, not as a stack trace.
                return Fail(error, e);
            }
        }
    }

    private static int Fail(TextWriter error, Exception e)
    {
        error.WriteLine($"error: {e.Message}");
        return CommandErrors.ExitCode(e);
    }

    /// <summary>Prints the library's warnings as they come (before training starts: cleanup, checkpoint fallback, config changes).</summary>
    private sealed class WarningPrinter(TextWriter error) : IProgress<Tcl.IO.FileWarning>
    {
        public void Report(Tcl.IO.FileWarning value) => error.WriteLine($"warning: {value.Message}");
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
