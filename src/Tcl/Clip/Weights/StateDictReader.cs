using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Clip.Weights;

/// <summary>
/// Reads any supported CLIP weight file into one canonical form: a state dict with OpenAI's names
/// (<c>visual.conv1.weight</c>, <c>transformer.resblocks.0.attn.in_proj_weight</c>, …), float32 tensors on the CPU.
/// That is the form OpenAI's own loader produces (<c>build_model(state_dict)</c> then <c>.float()</c> on CPU), so
/// every later step — architecture inference, strict loading, parity tests — deals with a single naming scheme.
/// </summary>
public static class StateDictReader
{
    /// <summary>
    /// 0-d tensors in OpenAI's TorchScript archives that describe the model instead of being weights; OpenAI's
    /// <c>build_model</c> deletes them before <c>load_state_dict</c>, and so do we (whatever the container, since
    /// a <c>torch.save</c> of the archive's <c>state_dict()</c> carries them too).
    /// </summary>
    public static IReadOnlySet<string> OpenAiMetadataKeys { get; } =
        new HashSet<string> { "input_resolution", "context_length", "vocab_size" };

    /// <summary>
    /// The OpenAI-named float32 CPU state dict of <paramref name="path"/> and the detected <paramref name="format"/>.
    /// The caller owns the returned tensors (they belong to no dispose scope) and should dispose them.
    /// Floating tensors are cast to float32 (OpenAI's archives are partly fp16; bf16 and fp64 are cast too);
    /// integer tensors keep their dtype, CLIP has none besides the metadata dropped above.
    /// </summary>
    /// <param name="path">The weight file.</param>
    /// <param name="format">The detected format.</param>
    /// <param name="requireFinite">Refuse tensors holding NaN or ±∞ (<see cref="NonFiniteWeights"/>); false only for
    /// tools that report such tensors instead (<c>tcl inspect-weights</c>).</param>
    /// <exception cref="WeightLoadException">The file is missing, of no supported format, unreadable, or (with
    /// <paramref name="requireFinite"/>) holds a non-finite value; the message names the file and the tensor.</exception>
    public static Dictionary<string, Tensor> Read(string path, out WeightFormat format, bool requireFinite = true)
    {
        var container = CheckpointSniffer.Detect(path);
        // Every tensor made while reading (raw fp16 copies, HF q/k/v parts, PyBridge's tensors) belongs to this
        // scope; only the final tensors are detached from it, so nothing leaks on success or on error.
        using var scope = NewDisposeScope();
        var raw = ReadContainer(path, container);

        bool huggingFace = container != CheckpointContainer.TorchScriptArchive && HuggingFaceClipNames.IsHuggingFace(raw.Keys);
        var named = huggingFace ? HuggingFaceClipNames.ToOpenAi(raw, path) : raw;
        format = (container, huggingFace) switch
        {
            (CheckpointContainer.TorchScriptArchive, _) => WeightFormat.OpenAiTorchScript,
            (CheckpointContainer.PyTorchZip, false) => WeightFormat.PyTorchStateDict,
            (CheckpointContainer.PyTorchZip, true) => WeightFormat.HuggingFacePyTorch,
            (CheckpointContainer.Safetensors, false) => WeightFormat.Safetensors,
            _ => WeightFormat.HuggingFaceSafetensors,
        };
        if (named.Count == 0) throw new WeightLoadException(path, "the file holds no tensors.");

        var result = new Dictionary<string, Tensor>(named.Count);
        try
        {
            foreach (var (key, tensor) in named)
            {
                if (OpenAiMetadataKeys.Contains(key)) continue;
                var cpu = tensor.device_type == DeviceType.CPU ? tensor : tensor.cpu();
                var converted = cpu.is_floating_point() && cpu.dtype != ScalarType.Float32 ? cpu.to(ScalarType.Float32) : cpu;
                // A tensor of the raw dict may be kept as is; detaching it from the scope hands its ownership over.
                result[key] = converted.DetachFromDisposeScope();
            }
            if (requireFinite) NonFiniteWeights.Require(result, path);
            return result;
        }
        catch
        {
            foreach (var tensor in result.Values) tensor.Dispose();
            throw;
        }
    }

    private static Dictionary<string, Tensor> ReadContainer(string path, CheckpointContainer container)
    {
        try
        {
            return container switch
            {
                CheckpointContainer.TorchScriptArchive => ContainerReaders.ReadTorchScript(path),
                CheckpointContainer.PyTorchZip => ContainerReaders.ReadPyTorchZip(path),
                _ => ContainerReaders.ReadSafetensors(path),
            };
        }
        catch (Exception e) when (e is not WeightLoadException)
        {
            // libtorch's and PyBridge's messages are precise but do not say which file; keep them as the cause.
            throw new WeightLoadException(path, $"could not be read as {Describe(container)}: {e.Message}", e);
        }
    }

    private static string Describe(CheckpointContainer container) => container switch
    {
        CheckpointContainer.TorchScriptArchive => "a TorchScript archive (torch.jit.load)",
        CheckpointContainer.PyTorchZip => "a torch.save zip state dict (it must hold tensors, not a pickled nn.Module)",
        _ => "a safetensors file",
    };
}
