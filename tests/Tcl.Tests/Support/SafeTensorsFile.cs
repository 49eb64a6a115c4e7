using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Tests.Support;

/// <summary>
/// A minimal reader of the safetensors format the fixtures are written in: an 8-byte little-endian header length,
/// a JSON header <c>{name: {dtype, shape, data_offsets}}</c> (plus an optional <c>__metadata__</c> entry), then the
/// raw little-endian data. Shapes always come from the header, so fixture sets of other sizes read the same way.
/// Supports the two dtypes the fixtures use, F32 and I64.
/// </summary>
public sealed class SafeTensorsFile
{
    private readonly byte[] _bytes;
    private readonly long _dataStart;
    private readonly Dictionary<string, Entry> _entries;

    private sealed record Entry(string DType, long[] Shape, long Begin, long End);

    private SafeTensorsFile(string path, byte[] bytes, long dataStart, Dictionary<string, Entry> entries)
    {
        FilePath = path;
        _bytes = bytes;
        _dataStart = dataStart;
        _entries = entries;
    }

    /// <summary>The file this was read from (for messages).</summary>
    public string FilePath { get; }

    /// <summary>Tensor names in the file, in header order.</summary>
    public IReadOnlyCollection<string> Names => _entries.Keys;

    /// <summary>Reads the whole file (fixtures are small) and parses its header.</summary>
    public static SafeTensorsFile Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new InvalidDataException($"'{path}' is too short to be a safetensors file.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8)) throw new InvalidDataException($"'{path}': header length {headerLength} exceeds the file.");

        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var entries = new Dictionary<string, Entry>();
        foreach (JsonProperty property in header.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__") continue;
            JsonElement e = property.Value;
            long[] shape = e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            long[] offsets = e.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            entries[property.Name] = new Entry(e.GetProperty("dtype").GetString()!, shape, offsets[0], offsets[1]);
        }
        return new SafeTensorsFile(path, bytes, 8 + (long)headerLength, entries);
    }

    /// <summary>Shape of a tensor as stored in the header.</summary>
    public long[] Shape(string name) => Get(name).Shape;

    /// <summary>The safetensors dtype name of a tensor ("F32", "I64", …).</summary>
    public string DType(string name) => Get(name).DType;

    /// <summary>A tensor by name, as float32 (F32) or int64 (I64) with its header shape; a fresh CPU tensor the caller owns.</summary>
    public Tensor Tensor(string name)
    {
        Entry entry = Get(name);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Safetensors data is little-endian.");
        ReadOnlySpan<byte> data = _bytes.AsSpan(checked((int)(_dataStart + entry.Begin)), checked((int)(entry.End - entry.Begin)));
        long count = entry.Shape.Aggregate(1L, (a, b) => a * b);
        return entry.DType switch
        {
            "F32" => torch.tensor(Values<float>(data, count, name), entry.Shape, ScalarType.Float32),
            "I64" => torch.tensor(Values<long>(data, count, name), entry.Shape, ScalarType.Int64),
            _ => throw new NotSupportedException($"Tensor '{name}' in '{FilePath}' has dtype {entry.DType}; only F32 and I64 are read."),
        };
    }

    private T[] Values<T>(ReadOnlySpan<byte> data, long count, string name) where T : unmanaged
    {
        if (data.Length != count * Marshal.SizeOf<T>())
            throw new InvalidDataException($"Tensor '{name}' in '{FilePath}': {data.Length} bytes for {count} elements of {typeof(T).Name}.");
        return MemoryMarshal.Cast<byte, T>(data).ToArray();
    }

    private Entry Get(string name) =>
        _entries.TryGetValue(name, out Entry? entry)
            ? entry
            : throw new KeyNotFoundException($"No tensor '{name}' in '{FilePath}' (has: {string.Join(", ", _entries.Keys)}).");
}
