using System.Globalization;
using Tcl.IO;
using static TorchSharp.torch;

namespace Tcl.Clip.Weights;

/// <summary>
/// Saves a <see cref="ClipModel"/> (e.g. one pre-trained by <see cref="Tcl.Training.ClipPretrainingObjective"/>) as a
/// CLIP weight file that <see cref="ClipWeights.Read"/> imports like any other: a safetensors file of float32 tensors
/// under OpenAI's names (<c>visual.conv1.weight</c>, <c>transformer.resblocks.0.attn.in_proj_weight</c>,
/// <c>logit_scale</c>, …; <see cref="ClipModel"/>'s state dict already uses them).
/// </summary>
public static class ClipWeightsWriter
{
    /// <summary>Metadata key holding the image tower's head count (the weights cannot tell it; <see cref="ClipWeights.Read"/>
    /// uses it when no count is given).</summary>
    public const string VisionHeadsKey = "vision_heads";

    /// <summary>Metadata key holding the text tower's head count.</summary>
    public const string TextHeadsKey = "text_heads";

    /// <summary>
    /// Writes <paramref name="model"/>'s state dict to <paramref name="path"/> (atomically). The safetensors metadata
    /// records <c>format = pt</c> and both head counts, which <see cref="ClipWeights.Read"/> takes when none are given.
    /// </summary>
    public static void WriteSafetensors(ClipModel model, string path)
    {
        using var scope = NewDisposeScope();
        var tensors = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(ScalarType.Float32));
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [VisionHeadsKey] = model.Config.Vision.Heads.ToString(CultureInfo.InvariantCulture),
            [TextHeadsKey] = model.Config.Text.Heads.ToString(CultureInfo.InvariantCulture),
        };
        SafetensorsFile.Write(path, tensors, metadata);
    }
}
