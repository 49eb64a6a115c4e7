using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Tcl.IO;

/// <summary>
/// Writes safetensors files as the <c>safetensors</c> Python package does (8-byte little-endian header length, a
/// JSON header with sorted keys and a string-to-string <c>__metadata__</c> map, space padding to 8 bytes, raw
/// little-endian data), atomically: the file appears under its name only when complete, so a crash while saving a
/// checkpoint never replaces a good one with half a file. Reading tensors goes through TorchSharp.PyBridge; this
/// class also reads the metadata, which PyBridge does not expose.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>Writes <paramref name="tensors"/> (any of the dtypes below, kept as they are) and <paramref name="metadata"/>.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new Dictionary<string, object>
        {
            ["__metadata__"] = metadata ?? new Dictionary<string, string> { ["format"] = "pt" },
        };
        var contiguous = new List<Tensor>();
        try
        {
            long offset = 0;
            foreach (var key in tensors.Keys.Order(StringComparer.Ordinal))
            {
                if (key == "__metadata__") throw new ArgumentException("'__metadata__' is reserved for the metadata map.", nameof(tensors));
                var tensor = tensors[key].detach().cpu().contiguous();
                contiguous.Add(tensor);
                long bytes = tensor.numel() * tensor.ElementSize;
                header[key] = new { dtype = DtypeName(tensor.dtype, key), shape = tensor.shape, data_offsets = new[] { offset, offset + bytes } };
                offset += bytes;
            }
            var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
            int padding = (8 - json.Length % 8) % 8;
            AtomicFile.Write(path, stream =>
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(json.Length + padding));
                stream.Write(length);
                stream.Write(json);
                for (int i = 0; i < padding; i++) stream.WriteByte((byte)' ');
                foreach (var tensor in contiguous) stream.Write(tensor.bytes);
            });
        }
        finally
        {
            foreach (var t in contiguous) t.Dispose();
        }
    }

    /// <summary>The <c>__metadata__</c> map of a safetensors file (empty when it has none).</summary>
    /// <exception cref="InvalidDataException">The file is not a safetensors file; the message names it.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> length = stackalloc byte[8];
        if (stream.ReadAtLeast(length, 8, throwOnEndOfStream: false) < 8)
            throw new InvalidDataException($"{path}: too short for a safetensors file (no 8-byte header length).");
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (size == 0 || size > 100_000_000 || (long)size > stream.Length - 8)
            throw new InvalidDataException($"{path}: not a safetensors file (header length {size} for a file of {stream.Length} bytes).");
        var json = new byte[size];
        stream.ReadExactly(json);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("__metadata__", out var meta)) return new Dictionary<string, string>();
            return meta.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the safetensors header is not valid JSON ({e.Message}).", e);
        }
    }

    private static string DtypeName(ScalarType dtype, string key) => dtype switch
    {
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Float64 => "F64",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"Tensor '{key}' has dtype {dtype}, which this writer does not store.", nameof(dtype)),
    };
}
