using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Tcl.IO;

/// <summary>
/// Encodes a label map as an 8-bit grayscale PNG (colour type 0), or as an 8-bit indexed PNG (colour type 3) when a
/// palette is given, with one chosen row filter or the adaptive choice. Values are stored unchanged, so the file
/// reads back with <see cref="PngLabelDecoder"/> (or any PNG reader) to the same class indices.
/// </summary>
internal static class PngLabelEncoder
{
    public static byte[] Encode(ReadOnlySpan<byte> labels, int width, int height, ReadOnlySpan<byte> palette, PngRowFilter filter)
    {
        var output = new MemoryStream();
        output.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)height);
        header[8] = 8;
        header[9] = (byte)(palette.IsEmpty ? 0 : 3);
        header[10] = header[11] = header[12] = 0;
        Chunk(output, "IHDR", header);
        if (!palette.IsEmpty) Chunk(output, "PLTE", palette);

        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var previous = new byte[width];
            var filtered = new byte[width];
            var best = new byte[width];
            for (int y = 0; y < height; y++)
            {
                var row = labels.Slice(y * width, width);
                int chosen = (int)filter;
                if (filter == PngRowFilter.Adaptive)
                {
                    long bestCost = long.MaxValue;
                    for (int t = 0; t < 5; t++)
                    {
                        PngFilters.Filter(t, row, previous, 1, filtered);
                        long cost = PngFilters.Cost(filtered);
                        if (cost < bestCost) { bestCost = cost; chosen = t; filtered.CopyTo(best, 0); }
                    }
                }
                else PngFilters.Filter(chosen, row, previous, 1, best);
                z.WriteByte((byte)chosen);
                z.Write(best);
                row.CopyTo(previous);
            }
        }
        Chunk(output, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void Chunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        var buffer = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, buffer.AsSpan(4, 4));
        data.CopyTo(buffer.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8 + data.Length), PngCrc.Compute(buffer.AsSpan(4, 4 + data.Length)));
        output.Write(buffer);
    }
}
