using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Tests.Support;

/// <summary>
/// Writes safetensors files the way the <c>safetensors</c> Python package does (8-byte little-endian header
/// length, JSON header with a <c>__metadata__</c> entry, sorted keys, space padding to 8 bytes, raw little-endian
/// data), so tests can build checkpoints in other namings and dtypes without Python.
/// </summary>
public static class SafetensorsTestWriter
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/>, converting each to <paramref name="dtype"/>.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var header = new Dictionary<string, object> { ["__metadata__"] = new Dictionary<string, string> { ["format"] = "pt" } };
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var key in tensors.Keys.Order(StringComparer.Ordinal))
        {
            var tensor = tensors[key].to(dtype).contiguous().cpu();
            var bytes = tensor.bytes.ToArray();
            header[key] = new { dtype = Name(dtype), shape = tensor.shape, data_offsets = new[] { offset, offset + bytes.Length } };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padding = (8 - json.Length % 8) % 8;

        using var stream = File.Create(path);
        stream.Write(BitConverter.GetBytes((ulong)(json.Length + padding)));
        stream.Write(json);
        stream.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));
        foreach (var blob in blobs) stream.Write(blob);
    }

    private static string Name(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "only float dtypes are needed here"),
    };
}
