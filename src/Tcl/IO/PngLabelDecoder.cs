using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Tcl.IO;

/// <summary>
/// A small PNG decoder for label maps that returns the stored values: palette indices of indexed PNGs (colour type 3)
/// and grey levels of grayscale PNGs (colour type 0), at bit depths 1, 2, 4, 8 (16-bit grayscale when every value is
/// below 256). It exists because ImageSharp 2.x expands palette PNGs to colours, which loses the class indices of VOC
/// ground truth. Chunk CRCs are checked; interlaced, colour and alpha images are rejected, since a label map is
/// never stored that way and guessing would silently produce wrong classes.
/// </summary>
internal static class PngLabelDecoder
{
    private static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    public static LabelMap Decode(byte[] file, string name)
    {
        if (file.Length < 8 || !file.AsSpan(0, 8).SequenceEqual(Signature))
            throw Error(name, "it is not a PNG file (no PNG signature)");
        int pos = 8;
        int width = 0, height = 0, depth = 0, colour = -1;
        byte[]? palette = null;
        var idat = new MemoryStream();
        bool ended = false;
        while (!ended)
        {
            if (pos + 8 > file.Length) throw Error(name, $"the file is truncated: it ends at byte {file.Length} before the IEND chunk");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(pos));
            string type = Encoding.ASCII.GetString(file, pos + 4, 4);
            if (length > int.MaxValue || pos + 12L + length > file.Length)
                throw Error(name, $"the file is truncated inside the '{type}' chunk at byte {pos} (declares {length} bytes, {Math.Max(0, file.Length - pos - 12)} present)");
            var body = file.AsSpan(pos + 8, (int)length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(pos + 8 + (int)length));
            if (PngCrc.Compute(file.AsSpan(pos + 4, 4 + (int)length)) != crc)
                throw Error(name, $"the CRC of the '{type}' chunk at byte {pos} does not match (the file is corrupt)");
            if (pos == 8 && type != "IHDR") throw Error(name, $"the first chunk is '{type}', expected IHDR");
            switch (type)
            {
                case "IHDR":
                    if (length != 13) throw Error(name, "the IHDR chunk is not 13 bytes");
                    width = checked((int)BinaryPrimitives.ReadUInt32BigEndian(body));
                    height = checked((int)BinaryPrimitives.ReadUInt32BigEndian(body[4..]));
                    depth = body[8];
                    colour = body[9];
                    CheckHeader(name, width, height, depth, colour, body[10], body[11], body[12]);
                    break;
                case "PLTE":
                    palette = body.ToArray();
                    break;
                case "IDAT":
                    idat.Write(body);
                    break;
                case "IEND":
                    ended = true;
                    break;
            }
            pos += 12 + (int)length;
        }
        if (colour == 3 && palette is null) throw Error(name, "the indexed PNG has no PLTE chunk");
        var pixels = Inflate(name, idat, width, height, depth);
        return new LabelMap(width, height, pixels, colour == 3 ? palette : null);
    }

    private static void CheckHeader(string name, int width, int height, int depth, int colour, int compression, int filter, int interlace)
    {
        const string expected = "expected an indexed (palette) or grayscale label PNG of 1, 2, 4 or 8 bits (or 16-bit grayscale)";
        if (width <= 0 || height <= 0) throw Error(name, $"the image size {width}×{height} is invalid");
        if ((long)width * height > int.MaxValue) throw Error(name, $"the image {width}×{height} is too large for one label map");
        string? kind = colour switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16 ? null : $"grayscale at {depth} bits",
            3 => depth is 1 or 2 or 4 or 8 ? null : $"indexed at {depth} bits",
            2 => "RGB (colour type 2)",
            4 => "grayscale with alpha (colour type 4)",
            6 => "RGBA (colour type 6)",
            _ => $"colour type {colour}",
        };
        if (kind is not null) throw Error(name, $"it is {kind}; {expected}");
        if (compression != 0 || filter != 0) throw Error(name, $"compression method {compression} / filter method {filter} is not PNG's 0 / 0");
        if (interlace != 0) throw Error(name, "it is Adam7-interlaced; expected a non-interlaced label PNG");
    }

    private static byte[] Inflate(string name, MemoryStream idat, int width, int height, int depth)
    {
        int rowBytes = checked((int)(((long)width * depth + 7) / 8));
        int bpp = Math.Max(1, depth / 8);
        long total = (long)height * (rowBytes + 1);
        var raw = new byte[checked((int)total)];
        idat.Position = 0;
        int read = 0;
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            while (read < raw.Length)
            {
                int n = z.Read(raw, read, raw.Length - read);
                if (n == 0) break;
                read += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw Error(name, $"its image data does not decompress ({e.Message})", e);
        }
        if (read < raw.Length) throw Error(name, $"its image data is truncated: {read} of {raw.Length} bytes after decompression");

        var pixels = new byte[(long)width * height];
        var previous = new byte[rowBytes];
        for (int y = 0; y < height; y++)
        {
            var row = raw.AsSpan(y * (rowBytes + 1) + 1, rowBytes);
            int filter = raw[y * (rowBytes + 1)];
            if (!PngFilters.Unfilter(filter, row, previous, bpp)) throw Error(name, $"row {y} has filter type {filter}; expected 0..4");
            Unpack(name, row, depth, pixels.AsSpan(y * width, width), y);
            row.CopyTo(previous);
        }
        return pixels;
    }

    private static void Unpack(string name, ReadOnlySpan<byte> row, int depth, Span<byte> output, int y)
    {
        switch (depth)
        {
            case 8:
                row.CopyTo(output);
                break;
            case 16:
                for (int x = 0; x < output.Length; x++)
                {
                    int v = (row[2 * x] << 8) | row[2 * x + 1];
                    if (v > 255) throw Error(name, $"the 16-bit grayscale value {v} at ({x}, {y}) exceeds 255; expected 8-bit label values");
                    output[x] = (byte)v;
                }
                break;
            default:
                int perByte = 8 / depth, mask = (1 << depth) - 1;
                for (int x = 0; x < output.Length; x++)
                    output[x] = (byte)((row[x / perByte] >> (8 - depth * (x % perByte + 1))) & mask);
                break;
        }
    }

    private static InvalidDataException Error(string name, string what, Exception? inner = null) =>
        new($"Label PNG '{name}': {what}.", inner);
}
