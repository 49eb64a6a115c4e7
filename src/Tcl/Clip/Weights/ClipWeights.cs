using static TorchSharp.torch;

namespace Tcl.Clip.Weights;

/// <summary>
/// Entry point of weight import: one call turns a file of any supported format (<see cref="WeightFormat"/>) into a
/// <see cref="ClipCheckpoint"/> — OpenAI-named float32 weights plus the architecture to build for them.
/// </summary>
/// <example>
/// <code>
/// using var checkpoint = ClipWeights.Read("ViT-B-16.pt");
/// var model = new ClipModel(checkpoint.Config);
/// StateDictLoading.Load(model, checkpoint);
/// </code>
/// </example>
public static class ClipWeights
{
    /// <summary>Reads <paramref name="path"/> and infers its architecture.</summary>
    /// <param name="path">OpenAI TorchScript archive, <c>torch.save</c> zip, or safetensors (OpenAI or Hugging Face names).</param>
    /// <param name="visionHeads">Image-tower heads; null = as the file states them (<see cref="ClipHeads"/>), else width / 64.</param>
    /// <param name="textHeads">Text-tower heads; null = as the file states them, else width / 64.</param>
    /// <param name="requireFinite">Refuse NaN or ±∞ weights (see <see cref="StateDictReader.Read"/>).</param>
    /// <exception cref="WeightLoadException">The file is missing, unreadable, of an unsupported format, not a
    /// ViT CLIP, or holds non-finite values; the message names the file (and the tensor).</exception>
    public static ClipCheckpoint Read(string path, int? visionHeads = null, int? textHeads = null, bool requireFinite = true)
    {
        var stateDict = StateDictReader.Read(path, out var format, requireFinite);
        try
        {
            // Heads: as given, else as the file states them (this toolkit's safetensors do), else width / 64.
            var (storedVision, storedText) = ClipHeads.Stored(path);
            var config = ClipArchitecture.Infer(stateDict, visionHeads ?? storedVision, textHeads ?? storedText, path);
            long parameters = stateDict.Values.Sum(t => t.numel());
            return new ClipCheckpoint(path, format, config, stateDict, parameters)
            {
                VisionHeadsSource = ClipHeads.SourceOf(visionHeads, storedVision, format),
                TextHeadsSource = ClipHeads.SourceOf(textHeads, storedText, format),
            };
        }
        catch
        {
            foreach (var tensor in stateDict.Values) tensor.Dispose();
            throw;
        }
    }

    /// <summary>Reads <paramref name="path"/>, builds the CLIP it describes and loads it strictly (eval mode).</summary>
    /// <param name="path">Any supported weight file (see <see cref="Read"/>).</param>
    /// <param name="report">What was loaded.</param>
    /// <param name="visionHeads">Image-tower heads when not width / 64.</param>
    /// <param name="textHeads">Text-tower heads when not width / 64.</param>
    public static ClipModel LoadModel(string path, out WeightLoadReport report, int? visionHeads = null, int? textHeads = null)
    {
        using var checkpoint = Read(path, visionHeads, textHeads);
        var model = new ClipModel(checkpoint.Config);
        try
        {
            report = StateDictLoading.Load(model, checkpoint);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }
}
