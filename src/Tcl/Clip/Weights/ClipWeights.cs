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
    /// <param name="visionHeads">Image-tower heads when not width / 64 (not stored in any CLIP checkpoint).</param>
    /// <param name="textHeads">Text-tower heads when not width / 64.</param>
    /// <exception cref="WeightLoadException">The file is missing, unreadable, of an unsupported format, or not a
    /// ViT CLIP; the message names the file.</exception>
    public static ClipCheckpoint Read(string path, int? visionHeads = null, int? textHeads = null)
    {
        var stateDict = StateDictReader.Read(path, out var format);
        try
        {
            var config = ClipArchitecture.Infer(stateDict, visionHeads, textHeads, path);
            long parameters = stateDict.Values.Sum(t => t.numel());
            return new ClipCheckpoint(path, format, config, stateDict, parameters);
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
