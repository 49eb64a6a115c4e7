using System.Text.Json;
using Tcl.Clip;
using Tcl.Clip.Weights;
using Tcl.Grounding;
using Tcl.IO;
using Tcl.Training;

namespace Tcl.Evaluation;

/// <summary>A method ready to evaluate: its window scorer, the text tower for the classifier, and what was loaded.</summary>
public sealed class LoadedMethod(TclModel model, IWindowScorer scorer, string description) : IDisposable
{
    /// <summary>The model holding the frozen CLIP towers (and the grounder for TCL).</summary>
    public TclModel Model { get; } = model;
    public IWindowScorer Scorer { get; } = scorer;
    public TextTransformer TextTower => Model.clip_text_encoder;

    /// <summary>One line on what was loaded (files, formats, tensor counts).</summary>
    public string Description { get; } = description;

    public void Dispose() => Model.Dispose();
}

/// <summary>
/// Builds the segmentation methods behind the <see cref="IWindowScorer"/> interface from weight files: TCL (CLIP
/// weights + a TCL checkpoint: the released <c>tcl.pth</c> or one of this toolkit's training checkpoints) and the
/// training-free MaskCLIP baseline (CLIP weights only). Models are put in eval mode.
/// </summary>
public static class SegmentationMethods
{
    /// <summary>TCL. Without <paramref name="tclWeights"/> the grounder is its initialisation — copies of CLIP's last
    /// block and projection with zero-gated decoder units, i.e. a calibrated MaskCLIP masker (<c>Sim2Mask</c>'s initial
    /// σ(10·s − 2.5) is the official <c>kp_branch</c>'s σ(10·(s − 0.25))) — which is useful as a check, not as a
    /// result.</summary>
    /// <remarks>A training checkpoint of this toolkit builds the grounder its run trained (e.g. ablation row A has no
    /// decoder; rows with CL carry its temperature), read from the run config stored in the checkpoint.</remarks>
    /// <remarks>Head counts (which no weight shape shows) come from the training checkpoint's run config; a given
    /// count that contradicts it is refused. For a TCL file without run config (the released <c>tcl.pth</c>) they come
    /// from the arguments or the CLIP file (its stored counts, or OpenAI's width / 64 rule for OpenAI's archives);
    /// when neither says, the call is refused rather than guessing.</remarks>
    /// <exception cref="WeightLoadException">A file is missing, a directory or unusable; or the heads cannot be known
    /// or contradict the checkpoint.</exception>
    public static LoadedMethod Tcl(string clipWeights, string? tclWeights, EvaluationProtocol protocol, int? visionHeads = null, int? textHeads = null)
    {
        if (tclWeights is not null) WeightFiles.RequireFile(tclWeights);
        var trained = tclWeights is null ? null : TrainedConfig(tclWeights);
        if (trained is not null)
        {
            visionHeads = Agreed(visionHeads, trained.VisionHeads, "vision", tclWeights!);
            textHeads = Agreed(textHeads, trained.TextHeads, "text", tclWeights!);
        }
        else if (tclWeights is not null && ClipHeads.OnlyAssumed(clipWeights, visionHeads, textHeads))
        {
            throw new WeightLoadException(tclWeights,
                $"the attention head counts of this TCL model cannot be known: it is not a training checkpoint of this toolkit " +
                $"(which stores its run config) and the CLIP file '{clipWeights}' does not store them (only OpenAI's TorchScript " +
                "archives and safetensors written by this toolkit do). Give them explicitly (tcl evaluate --vision-heads N " +
                "--text-heads N; ViT-B/16: 12 and 8).");
        }
        var model = TclWeights.CreateFromClip(clipWeights, out var clipReport, visionHeads, textHeads, trained?.Grounder, trained?.Losses);
        try
        {
            string learned = "untrained grounder (no TCL weights given)";
            if (tclWeights is not null)
            {
                var report = TclWeights.LoadLearned(model, tclWeights);
                learned = $"TCL weights {tclWeights} ({report.TensorsLoaded} tensors)";
            }
            model.eval();
            return new LoadedMethod(model, new TclWindowScorer(model, protocol), $"TCL: CLIP {Describe(clipReport)}; {learned}");
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The training-free MaskCLIP baseline on the same CLIP weights.</summary>
    public static LoadedMethod MaskClip(string clipWeights, int? visionHeads = null, int? textHeads = null)
    {
        var model = TclWeights.CreateFromClip(clipWeights, out var clipReport, visionHeads, textHeads);
        model.eval();
        return new LoadedMethod(model, new MaskClipWindowScorer(model), $"MaskCLIP: CLIP {Describe(clipReport)}");
    }

    /// <summary>The resolved TCL training config stored in a checkpoint of this toolkit; null for other files.</summary>
    /// <exception cref="InvalidDataException">The checkpoint's run config is not a TCL training config.</exception>
    private static TclTrainConfig? TrainedConfig(string path)
    {
        if (!TrainingCheckpoint.IsCheckpoint(path) || TrainingCheckpoint.ReadInfo(path).RunConfig is not { } json) return null;
        try
        {
            return (JsonSerializer.Deserialize<TclTrainConfig>(json, ConfigJson.Options)
                    ?? throw new InvalidDataException($"{path}: the run config in the checkpoint is null.")).Resolve();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the checkpoint's run config is not a TCL training config " +
                                           $"({(e.Path is { Length: > 0 } p ? $"field '{p}': " : "")}{e.Message}); is this a CLIP pre-training checkpoint?", e);
        }
    }

    /// <summary>The head count a training run used; a given count must agree with it.</summary>
    private static int? Agreed(int? given, int? trained, string tower, string checkpoint)
    {
        if (given.HasValue && trained.HasValue && given != trained)
            throw new WeightLoadException(checkpoint,
                $"{tower} heads {given} were given, but the checkpoint's run config says {tower}_heads = {trained} " +
                "(the count the model was trained with); drop the option or pass the right checkpoint.");
        return trained ?? given;
    }

    private static string Describe(WeightLoadReport r) => $"{r.Source} ({r.Format?.Describe()}, {r.TensorsLoaded} tensors)";
}
