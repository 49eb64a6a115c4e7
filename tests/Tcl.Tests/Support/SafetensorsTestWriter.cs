using Tcl.IO;
using static TorchSharp.torch;

namespace Tcl.Tests.Support;

/// <summary>Writes safetensors files in a chosen float dtype (tests build checkpoints in other namings and dtypes without Python).</summary>
public static class SafetensorsTestWriter
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/>, converting each to <paramref name="dtype"/>.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        SafetensorsFile.Write(path, tensors.ToDictionary(kv => kv.Key, kv => kv.Value.to(dtype)));
    }
}
