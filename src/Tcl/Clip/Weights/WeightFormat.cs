namespace Tcl.Clip.Weights;

/// <summary>
/// How a CLIP weight file is stored and named. Detected from the file's content (zip entries, safetensors header,
/// key names), never from its extension: OpenAI's <c>.pt</c> is a TorchScript archive while other <c>.pt</c> files are
/// plain <c>torch.save</c> dictionaries, and Hugging Face's <c>pytorch_model.bin</c> is the latter.
/// </summary>
public enum WeightFormat
{
    /// <summary>OpenAI's released TorchScript archive (e.g. <c>ViT-B-16.pt</c>): a zip with <c>code/</c>,
    /// <c>constants.pkl</c> and <c>data.pkl</c>; weights partly fp16, plus 0-d metadata tensors.</summary>
    OpenAiTorchScript,

    /// <summary>A <c>torch.save</c> zip of a dictionary of tensors with OpenAI names, possibly nested under
    /// <c>state_dict</c> or <c>model</c> (training checkpoints).</summary>
    PyTorchStateDict,

    /// <summary>A <c>.safetensors</c> file with OpenAI names (e.g. the project's own fixtures).</summary>
    Safetensors,

    /// <summary>Hugging Face <c>CLIPModel</c> weights in <c>.safetensors</c> (<c>model.safetensors</c>), renamed to
    /// OpenAI names on read.</summary>
    HuggingFaceSafetensors,

    /// <summary>Hugging Face <c>CLIPModel</c> weights as a <c>torch.save</c> zip (<c>pytorch_model.bin</c>), renamed to
    /// OpenAI names on read.</summary>
    HuggingFacePyTorch,
}

/// <summary>Human-readable names of <see cref="WeightFormat"/> values, for reports and the command line.</summary>
public static class WeightFormatExtensions
{
    /// <summary>A short description of the container and the naming scheme, e.g. "safetensors, OpenAI names".</summary>
    public static string Describe(this WeightFormat format) => format switch
    {
        WeightFormat.OpenAiTorchScript => "OpenAI TorchScript archive (jit), OpenAI names",
        WeightFormat.PyTorchStateDict => "PyTorch torch.save zip state dict, OpenAI names",
        WeightFormat.Safetensors => "safetensors, OpenAI names",
        WeightFormat.HuggingFaceSafetensors => "safetensors, Hugging Face CLIPModel names (renamed to OpenAI)",
        WeightFormat.HuggingFacePyTorch => "PyTorch torch.save zip, Hugging Face CLIPModel names (renamed to OpenAI)",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
