using Tcl.Clip.Weights;
using static TorchSharp.torch;

namespace Tcl.Grounding;

/// <summary>
/// Loading weights into a <see cref="TclModel"/>: CLIP weights (OpenAI names, any format <see cref="StateDictReader"/>
/// reads) map onto the frozen towers, and a TCL checkpoint — which, like the released <c>tcl.pth</c>, holds only the
/// learned weights (<c>masker.*</c>, <c>*_loss.*</c>) — loads on top by name.
/// </summary>
public static class TclWeights
{
    /// <summary>Maps an OpenAI CLIP key to TCL's: text keys under <c>clip_text_encoder.</c>, the image tower under
    /// <c>clip_image_encoder.clip_visual.</c>, its <c>ln_post</c>/<c>proj</c> under <c>clip_image_encoder.clip_proj.</c>;
    /// null for <c>logit_scale</c>, which TCL does not use.</summary>
    public static string? ClipKeyToTcl(string key) => key switch
    {
        "logit_scale" => null,
        "visual.proj" => "clip_image_encoder.clip_proj.proj",
        _ when key.StartsWith("visual.ln_post.", StringComparison.Ordinal) => "clip_image_encoder.clip_proj.ln." + key["visual.ln_post.".Length..],
        _ when key.StartsWith("visual.", StringComparison.Ordinal) => "clip_image_encoder.clip_visual." + key["visual.".Length..],
        _ => "clip_text_encoder." + key,
    };

    /// <summary>
    /// Loads CLIP weights (OpenAI names) into the frozen towers, strictly, then re-initialises the grounder as copies
    /// of them (<see cref="TclModel.CopyGrounderFromClip"/>). Nothing is copied if any CLIP key is missing,
    /// unexpected or of the wrong shape.
    /// </summary>
    public static WeightLoadReport LoadClip(TclModel model, IReadOnlyDictionary<string, Tensor> openAiWeights, string? source = null, WeightFormat? format = null)
    {
        var mapped = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in openAiWeights)
            if (ClipKeyToTcl(key) is { } name) mapped[name] = tensor;
        var report = StateDictLoading.Load(model, mapped, source, new WeightSelection(Ignore: IsLearned), format);
        model.CopyGrounderFromClip();
        model.ResetInferenceCaches();
        return report;
    }

    /// <summary>Reads a CLIP weight file (any supported format) and loads it (see the other overload).</summary>
    public static WeightLoadReport LoadClip(TclModel model, string path)
    {
        var weights = StateDictReader.Read(path, out var format);
        try { return LoadClip(model, weights, path, format); }
        finally { foreach (var t in weights.Values) t.Dispose(); }
    }

    /// <summary>
    /// Builds the TCL that a CLIP weight file implies (architecture inferred as <see cref="ClipWeights.Read"/> does) and
    /// loads the file into its frozen towers, the grounder copied from them. The model is in training mode.
    /// </summary>
    /// <param name="clipPath">Any supported CLIP weight file.</param>
    /// <param name="report">What was loaded.</param>
    /// <param name="visionHeads">Image-tower heads when not width / 64.</param>
    /// <param name="textHeads">Text-tower heads when not width / 64.</param>
    /// <param name="grounder">Grounder architecture (default: official).</param>
    /// <param name="losses">Loss terms (default: TCL).</param>
    public static TclModel CreateFromClip(string clipPath, out WeightLoadReport report, int? visionHeads = null, int? textHeads = null,
        GrounderConfig? grounder = null, TclLossConfig? losses = null)
    {
        using var clip = ClipWeights.Read(clipPath, visionHeads, textHeads);
        var model = new TclModel(clip.Config, grounder, losses);
        try
        {
            report = LoadClip(model, clip.StateDict, clip.Path, clip.Format);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads learned TCL weights (<c>masker.*</c>, <c>tcli_loss.*</c>, <c>tclf_loss.*</c>, <c>cl_loss.*</c>) strictly on
    /// top of the CLIP weights already in the model; CLIP entries present in the file are ignored (the frozen
    /// towers come from the CLIP file). The report lists what was loaded and skipped.
    /// </summary>
    public static WeightLoadReport LoadLearned(TclModel model, IReadOnlyDictionary<string, Tensor> weights, string? source = null, WeightFormat? format = null)
    {
        var report = StateDictLoading.Load(model, weights, source, new WeightSelection(Ignore: name => !IsLearned(name)), format);
        model.ResetInferenceCaches();
        return report;
    }

    /// <summary>
    /// Reads a TCL checkpoint file — the released <c>tcl.pth</c> (a <c>torch.save</c> zip, also nested under
    /// <c>model</c>), safetensors, or a training checkpoint of this toolkit — and loads its learned weights.
    /// </summary>
    /// <exception cref="WeightLoadException">The file is missing, a directory, unreadable, holds a NaN or ±∞ weight
    /// (named), or its weights do not fit the model.</exception>
    public static WeightLoadReport LoadLearned(TclModel model, string path)
    {
        WeightFiles.RequireFile(path);
        if (Training.TrainingCheckpoint.IsCheckpoint(path))
        {
            var trained = Training.TrainingCheckpoint.ReadModelWeights(path);
            try
            {
                // Files read through StateDictReader are checked there; a training checkpoint is read directly.
                NonFiniteWeights.Require(trained, path);
                return LoadLearned(model, trained, path, WeightFormat.Safetensors);
            }
            finally { foreach (var t in trained.Values) t.Dispose(); }
        }
        var weights = StateDictReader.Read(path, out var format);
        try { return LoadLearned(model, weights, path, format); }
        finally { foreach (var t in weights.Values) t.Dispose(); }
    }

    /// <summary>True for the keys a TCL checkpoint owns (everything but the frozen CLIP towers).</summary>
    public static bool IsLearned(string name) => !name.StartsWith("clip_", StringComparison.Ordinal);
}
