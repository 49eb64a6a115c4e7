using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Tests.Support;

/// <summary>Readers for the JSON goldens of <c>spec/data/golden/</c> (nested number arrays and the tiny TCL state).</summary>
public static class GoldenJson
{
    /// <summary>A nested JSON number array as a float32 tensor; the shape is read from the nesting.</summary>
    public static Tensor Tensor(JsonElement e, ScalarType dtype = ScalarType.Float32)
    {
        var shape = new List<long>();
        var probe = e;
        while (probe.ValueKind == JsonValueKind.Array)
        {
            shape.Add(probe.GetArrayLength());
            if (probe.GetArrayLength() == 0) break;
            probe = probe[0];
        }
        var values = new List<double>();
        void Flatten(JsonElement x)
        {
            if (x.ValueKind == JsonValueKind.Array) foreach (var c in x.EnumerateArray()) Flatten(c);
            else values.Add(x.GetDouble());
        }
        Flatten(e);
        return torch.tensor(values.ToArray(), dtype: float64).reshape(shape.ToArray()).to(dtype);
    }

    /// <summary>
    /// The tiny TCL state (<c>tiny_tcl_state.json</c> + <c>.bin</c>): little-endian float32 tensors concatenated in
    /// the order listed, keyed by the official state-dict names.
    /// </summary>
    public static Dictionary<string, Tensor> TinyTclState(string jsonPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var bin = File.ReadAllBytes(Path.ChangeExtension(jsonPath, ".bin"));
        var result = new Dictionary<string, Tensor>();
        foreach (var t in doc.RootElement.GetProperty("tensors").EnumerateArray())
        {
            long offset = t.GetProperty("offset_floats").GetInt64(), numel = t.GetProperty("numel").GetInt64();
            var shape = t.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            var data = new float[numel];
            Buffer.BlockCopy(bin, checked((int)(offset * 4)), data, 0, checked((int)(numel * 4)));
            result[t.GetProperty("name").GetString()!] = torch.tensor(data).reshape(shape);
        }
        return result;
    }
}
