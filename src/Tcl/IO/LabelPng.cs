namespace Tcl.IO;

/// <summary>
/// Reads and writes label maps (ground truth and saved predictions) as PNG files holding raw class values. Reading
/// returns what is stored — palette indices for indexed PNGs such as VOC's <c>SegmentationClass</c>, grey levels for
/// grayscale ones — because mmseg scores the stored values (mmseg 0.27's <c>LoadAnnotations</c> reads them with
/// <c>flag='unchanged'</c>) and ImageSharp 2.x would turn a palette PNG into colours. Writing is atomic: a crash never
/// leaves half a prediction file behind.
/// </summary>
public static class LabelPng
{
    /// <summary>The stored values of the label PNG at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a PNG, is truncated or corrupt, or is not an indexed/grayscale non-interlaced image; the message
    /// names the file and what was expected.
    /// </exception>
    public static LabelMap Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Label PNG '{path}' does not exist.", path);
        return PngLabelDecoder.Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes PNG bytes; <paramref name="name"/> is used in error messages.</summary>
    /// <inheritdoc cref="Read" path="/exception"/>
    public static LabelMap Decode(byte[] png, string name = "(in memory)") => PngLabelDecoder.Decode(png, name);

    /// <summary>
    /// Writes <paramref name="labels"/> (row-major, <paramref name="width"/>·<paramref name="height"/> values) to
    /// <paramref name="path"/> atomically: 8-bit grayscale, or 8-bit indexed when <paramref name="palette"/> (RGB
    /// triples, at most 256) is given, e.g. VOC's colours so the file also looks right in an image viewer.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes disagree or the palette is malformed.</exception>
    public static void Write(string path, ReadOnlySpan<byte> labels, int width, int height, byte[]? palette = null,
        PngRowFilter filter = PngRowFilter.Adaptive)
    {
        var png = Encode(labels, width, height, palette, filter);
        AtomicFile.Write(path, s => s.Write(png));
    }

    /// <summary>The PNG bytes <see cref="Write"/> would write.</summary>
    /// <exception cref="ArgumentException">The sizes disagree or the palette is malformed.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> labels, int width, int height, byte[]? palette = null,
        PngRowFilter filter = PngRowFilter.Adaptive)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"Label map size {width}×{height} must be positive.");
        if (labels.Length != (long)width * height)
            throw new ArgumentException($"A {width}×{height} label map needs {(long)width * height} values, got {labels.Length}.");
        if (palette is not null && (palette.Length == 0 || palette.Length % 3 != 0 || palette.Length > 768))
            throw new ArgumentException($"A palette is 1..256 RGB triples (a multiple of 3 bytes up to 768); got {palette.Length} bytes.");
        if (palette is not null)
        {
            int entries = palette.Length / 3, max = 0;
            foreach (var v in labels) max = Math.Max(max, v);
            if (max >= entries) throw new ArgumentException($"Label value {max} has no entry in a palette of {entries} colours.");
        }
        if (!Enum.IsDefined(filter)) throw new ArgumentException($"Unknown PNG row filter {filter}.");
        return PngLabelEncoder.Encode(labels, width, height, palette, filter);
    }

    /// <summary>
    /// PASCAL VOC's colour map (the devkit's bit-interleaved palette) as RGB triples, so label PNGs written with it
    /// look like VOC's in an image viewer. <paramref name="entries"/> ≤ 256.
    /// </summary>
    public static byte[] VocPalette(int entries = 256)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(entries, 256);
        var palette = new byte[3 * entries];
        for (int i = 0; i < entries; i++)
        {
            int c = i, r = 0, g = 0, b = 0;
            for (int j = 0; j < 8; j++)
            {
                r |= ((c >> 0) & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            (palette[3 * i], palette[3 * i + 1], palette[3 * i + 2]) = ((byte)r, (byte)g, (byte)b);
        }
        return palette;
    }
}
