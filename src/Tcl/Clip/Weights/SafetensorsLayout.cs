using System.Buffers.Binary;
using System.Text.Json;

namespace Tcl.Clip.Weights;

/// <summary>
/// Recognises a safetensors file (8-byte little-endian header length N, N bytes of JSON, then the data section) and
/// checks that its layout fits the file before any tensor is read, so a damaged file is reported for what it is —
/// a header length larger than the file, a header that is not JSON, or a tensor whose <c>data_offsets</c> reach past
/// the end of a truncated download — instead of a bare "not a weight file" or a reader's end-of-stream error.
/// </summary>
internal static class SafetensorsLayout
{
    // A safetensors header is small (≈100 bytes per tensor); a larger "length" means the file is something else.
    private const long MaxHeader = 100L * 1024 * 1024;

    /// <summary>
    /// False when the file does not look like safetensors at all (no <c>{</c> after the 8-byte length); true when it
    /// is a well-formed one.
    /// </summary>
    /// <param name="path">The file, for messages.</param>
    /// <param name="stream">The open file.</param>
    /// <param name="head">Its first bytes (at least 9 to be recognised).</param>
    /// <exception cref="WeightLoadException">It looks like safetensors but its header length, header or data
    /// section does not fit the file; the message says which and gives the numbers.</exception>
    public static bool Check(string path, Stream stream, ReadOnlySpan<byte> head)
    {
        if (head.Length < 9 || head[8] != (byte)'{') return false;
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(head);
        long fileSize = stream.Length;
        if (length < 2 || length > MaxHeader)
            throw new WeightLoadException(path,
                $"safetensors header length {length} (first 8 bytes) is {(length < 2 ? "too small" : $"over the {MaxHeader}-byte limit")} " +
                $"for a file of {fileSize} bytes; the file is damaged or not safetensors.");
        if (8 + (long)length > fileSize)
            throw new WeightLoadException(path,
                $"safetensors header length {length} (first 8 bytes) exceeds the file size: 8 + {length} > {fileSize} bytes; " +
                "the file is truncated (an interrupted download or copy) or not safetensors.");

        var header = new byte[(int)length];
        stream.Position = 8;
        stream.ReadExactly(header);
        long dataBytes = fileSize - 8 - (long)length;
        try
        {
            using var json = JsonDocument.Parse(header);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw new WeightLoadException(path, $"the safetensors header ({length} bytes) is JSON but not an object.");
            foreach (var entry in json.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__") continue;
                CheckEntry(path, entry, fileSize, dataBytes);
            }
        }
        catch (JsonException e)
        {
            throw new WeightLoadException(path,
                $"the safetensors header ({length} bytes after the 8-byte length) is not valid JSON ({e.Message}); " +
                "the header length or the header is damaged.", e);
        }
        return true;
    }

    private static void CheckEntry(string path, JsonProperty entry, long fileSize, long dataBytes)
    {
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("dtype", out _)
            || !value.TryGetProperty("shape", out _) || !value.TryGetProperty("data_offsets", out var offsets)
            || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end))
            throw new WeightLoadException(path,
                $"safetensors header entry '{entry.Name}' is not a tensor description (expected dtype, shape and data_offsets [begin, end]).");
        if (begin < 0 || end < begin)
            throw new WeightLoadException(path, $"tensor '{entry.Name}' has data_offsets [{begin}, {end}]; expected 0 ≤ begin ≤ end.");
        if (end > dataBytes)
            throw new WeightLoadException(path,
                $"tensor '{entry.Name}' has data_offsets [{begin}, {end}] past the end of the file of {fileSize} bytes " +
                $"(its data section holds {dataBytes} bytes); the file is truncated.");
    }
}
