using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Tcl.Clip.Weights;

/// <summary>
/// Reads the tensors of each <see cref="CheckpointContainer"/> as stored (names and dtypes untouched). Callers run
/// these inside a dispose scope and keep only what they need; renaming and the float32 cast happen in
/// <see cref="StateDictReader"/>.
/// </summary>
internal static class ContainerReaders
{
    /// <summary>Keys under which training checkpoints commonly nest the model's state dict.</summary>
    private static readonly string[] NestingKeys = ["state_dict", "model", "model_state_dict"];

    /// <summary>
    /// A TorchScript archive through libtorch's own loader (<c>torch.jit.load</c>); PyBridge cannot read these since
    /// the weights sit behind TorchScript classes. The archive's state is its named parameters and buffers; graph
    /// constants (OpenAI's text causal mask) and plain attributes are not tensors of the state and are not returned.
    /// </summary>
    public static Dictionary<string, Tensor> ReadTorchScript(string path)
    {
        using var module = jit.load(path);
        var tensors = new Dictionary<string, Tensor>();
        // detach(): a new handle on the same storage, which libtorch keeps alive after the module is disposed; no
        // copy, so ViT-B/16's 300 MB of fp16 weights are held once until StateDictReader casts them to float32.
        foreach (var (name, parameter) in module.named_parameters())
            tensors[name] = parameter.detach();
        foreach (var (name, buffer) in module.named_buffers())
            tensors[name] = buffer.detach();
        return tensors;
    }

    /// <summary>
    /// A <c>torch.save</c> zip through PyBridge's unpickler. Accepts a flat dictionary of tensors or one nested
    /// under <see cref="NestingKeys"/>; other entries of a training checkpoint (epoch, optimizer state) are ignored.
    /// </summary>
    public static Dictionary<string, Tensor> ReadPyTorchZip(string path)
    {
        Hashtable root;
        using (var stream = File.OpenRead(path))
            root = PyTorchUnpickler.UnpickleStateDict(stream);

        var source = TensorsOf(root).Count > 0
            ? root
            : NestingKeys.Select(k => root[k]).OfType<Hashtable>().FirstOrDefault(h => TensorsOf(h).Count > 0);
        if (source is null)
        {
            var keys = root.Keys.Cast<object>().Select(k => k.ToString() ?? "").ToList();
            throw new WeightLoadException(path,
                $"a torch.save file without tensors at its top level or under {string.Join("/", NestingKeys)} " +
                $"(top-level keys: {WeightLoadException.CappedList(keys)}).");
        }
        return TensorsOf(source);
    }

    /// <summary>A safetensors file through PyBridge (every dtype safetensors defines for PyTorch).</summary>
    public static Dictionary<string, Tensor> ReadSafetensors(string path) => Safetensors.LoadStateDict(path);

    private static Dictionary<string, Tensor> TensorsOf(Hashtable table)
    {
        var tensors = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry entry in table)
            if (entry.Key is string key && entry.Value is Tensor tensor)
                tensors[key] = tensor;
        return tensors;
    }
}
