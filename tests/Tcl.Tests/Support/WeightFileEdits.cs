using Tcl.IO;
using static TorchSharp.torch;

namespace Tcl.Tests.Support;

/// <summary>
/// Damaged or edited copies of the weight fixtures, built in a test's temporary folder: a value replaced (NaN, ±∞),
/// a tensor removed, added or reshaped, metadata added. Values are edited through float arrays, not tensor operators.
/// </summary>
public static class WeightFileEdits
{
    /// <summary>The tensors of a safetensors file (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> Load(string path) => TorchSharp.PyBridge.Safetensors.LoadStateDict(path);

    /// <summary>A float32 copy of <paramref name="source"/> whose flat element <paramref name="index"/> is <paramref name="value"/>.</summary>
    public static Tensor WithValue(Tensor source, long index, float value)
    {
        using var cpu = source.to(ScalarType.Float32).contiguous();
        var data = cpu.data<float>().ToArray();
        data[index] = value;
        return tensor(data, source.shape);
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> with optional metadata.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafetensorsFile.Write(path, tensors, metadata);

    /// <summary>Copies a safetensors fixture to <paramref name="path"/> after <paramref name="edit"/> changed its tensors.</summary>
    public static string Edited(string fixture, string path, Action<Dictionary<string, Tensor>> edit, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var tensors = Load(fixture);
        try
        {
            edit(tensors);
            Write(path, tensors, metadata);
            return path;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
