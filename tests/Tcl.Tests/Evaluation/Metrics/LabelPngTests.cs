using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing.Processors.Quantization;
using Tcl.IO;
using Xunit;

namespace Tcl.Tests.Evaluation.Metrics;

/// <summary>
/// <see cref="LabelPng"/> against ImageSharp 2.1.13 as an independent PNG implementation: files ImageSharp writes
/// (grayscale with each row filter, 8- and 4-bit palettes, 16-bit grayscale) decode to the stored values, files we
/// write (every filter, grayscale and indexed) decode in ImageSharp to the same values / colours, and malformed files
/// fail with the file's name and what was expected.
/// </summary>
public sealed class LabelPngTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-labelpng-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(PngRowFilter.None)]
    [InlineData(PngRowFilter.Sub)]
    [InlineData(PngRowFilter.Up)]
    [InlineData(PngRowFilter.Average)]
    [InlineData(PngRowFilter.Paeth)]
    [InlineData(PngRowFilter.Adaptive)]
    public void Our_grayscale_png_round_trips_and_ImageSharp_agrees(PngRowFilter filter)
    {
        var (labels, w, h) = RandomLabels(37, 23, seed: (int)filter);
        var path = Path.Combine(_dir, $"gray-{filter}.png");
        LabelPng.Write(path, labels, w, h, filter: filter);

        var back = LabelPng.Read(path);
        Assert.Equal((w, h), (back.Width, back.Height));
        Assert.Equal(labels, back.Pixels);
        Assert.Null(back.Palette);
        if (filter != PngRowFilter.Adaptive) Assert.All(FilterBytes(path, w, h), b => Assert.Equal((byte)filter, b));

        using var image = Image.Load<L8>(path);
        Assert.Equal(labels, Pixels(image));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Theory]
    [InlineData(PngFilterMethod.None)]
    [InlineData(PngFilterMethod.Sub)]
    [InlineData(PngFilterMethod.Up)]
    [InlineData(PngFilterMethod.Average)]
    [InlineData(PngFilterMethod.Paeth)]
    [InlineData(PngFilterMethod.Adaptive)]
    public void ImageSharp_grayscale_png_reads_as_stored_values(PngFilterMethod filter)
    {
        var (labels, w, h) = RandomLabels(41, 19, seed: 10 + (int)filter);
        using var image = Image.LoadPixelData<L8>(labels, w, h);
        var path = Path.Combine(_dir, $"is-gray-{filter}.png");
        image.Save(path, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8, FilterMethod = filter });

        var back = LabelPng.Read(path);
        Assert.Equal(labels, back.Pixels);
    }

    [Theory]
    [InlineData(PngBitDepth.Bit8, 21)]
    [InlineData(PngBitDepth.Bit4, 16)]
    [InlineData(PngBitDepth.Bit2, 4)]
    public void ImageSharp_palette_png_reads_as_indices_not_colours(PngBitDepth depth, int colours)
    {
        // VOC-style: class colours from the VOC palette; the stored index must come back, and the PLTE entry of
        // that index must be the pixel's colour.
        var palette = LabelPng.VocPalette();
        var colourTable = Enumerable.Range(0, colours).Select(i => Color.FromRgb(palette[3 * i], palette[3 * i + 1], palette[3 * i + 2])).ToArray();
        var (labels, w, h) = RandomLabels(30, 17, seed: colours, max: colours);
        using var image = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int k = labels[y * w + x];
                image[x, y] = new Rgb24(palette[3 * k], palette[3 * k + 1], palette[3 * k + 2]);
            }
        var path = Path.Combine(_dir, $"is-palette-{depth}.png");
        image.Save(path, new PngEncoder
        {
            ColorType = PngColorType.Palette,
            BitDepth = depth,
            Quantizer = new PaletteQuantizer(colourTable, new QuantizerOptions { Dither = null }),
        });

        var back = LabelPng.Read(path);
        Assert.NotNull(back.Palette);
        for (int i = 0; i < labels.Length; i++)
        {
            int k = back.Pixels[i];
            var expected = image[i % w, i / w];
            Assert.Equal((expected.R, expected.G, expected.B), (back.Palette![3 * k], back.Palette[3 * k + 1], back.Palette[3 * k + 2]));
        }
        Assert.Equal(labels, back.Pixels); // ImageSharp keeps the given palette order, so the indices are the labels
    }

    [Fact]
    public void Our_palette_png_keeps_indices_and_shows_colours()
    {
        var palette = LabelPng.VocPalette();
        var (labels, w, h) = RandomLabels(33, 21, seed: 5, max: 21);
        labels[0] = 255; // VOC's ignore value has a palette entry too
        var path = Path.Combine(_dir, "ours-palette.png");
        LabelPng.Write(path, labels, w, h, palette);

        var back = LabelPng.Read(path);
        Assert.Equal(labels, back.Pixels);
        Assert.Equal(palette, back.Palette);
        using var image = Image.Load<Rgb24>(path);
        for (int i = 0; i < labels.Length; i++)
        {
            var c = image[i % w, i / w];
            Assert.Equal((palette[3 * labels[i]], palette[3 * labels[i] + 1], palette[3 * labels[i] + 2]), (c.R, c.G, c.B));
        }
        Assert.Throws<ArgumentException>(() => LabelPng.Encode(labels, w, h, palette[..30]));
    }

    [Fact]
    public void Sixteen_bit_grayscale_reads_when_values_fit_a_byte_and_fails_otherwise()
    {
        var (labels, w, h) = RandomLabels(12, 9, seed: 3);
        using (var image = Image.LoadPixelData<L16>(labels.Select(v => new L16(v)).ToArray(), w, h))
            image.Save(Path.Combine(_dir, "g16.png"), new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 });
        Assert.Equal(labels, LabelPng.Read(Path.Combine(_dir, "g16.png")).Pixels);

        var big = labels.Select(v => new L16(v)).ToArray();
        big[5] = new L16(1000);
        var path = Path.Combine(_dir, "g16-big.png");
        using (var image = Image.LoadPixelData<L16>(big, w, h))
            image.Save(path, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 });
        var e = Assert.Throws<InvalidDataException>(() => LabelPng.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("1000", e.Message);
    }

    [Fact]
    public void Interlaced_and_colour_pngs_are_rejected_with_the_file_and_the_expectation()
    {
        var (labels, w, h) = RandomLabels(16, 16, seed: 4);
        using var image = Image.LoadPixelData<L8>(labels, w, h);
        var interlaced = Path.Combine(_dir, "adam7.png");
        image.Save(interlaced, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8, InterlaceMethod = PngInterlaceMode.Adam7 });
        var e = Assert.Throws<InvalidDataException>(() => LabelPng.Read(interlaced));
        Assert.Contains(interlaced, e.Message);
        Assert.Contains("interlaced", e.Message);

        var rgb = Path.Combine(_dir, "rgb.png");
        image.Save(rgb, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
        e = Assert.Throws<InvalidDataException>(() => LabelPng.Read(rgb));
        Assert.Contains(rgb, e.Message);
        Assert.Contains("RGB", e.Message);
        Assert.Contains("expected an indexed (palette) or grayscale", e.Message);
    }

    [Fact]
    public void Truncated_corrupt_and_foreign_files_fail_with_the_file_name()
    {
        var (labels, w, h) = RandomLabels(64, 48, seed: 6);
        var png = LabelPng.Encode(labels, w, h, filter: PngRowFilter.None);
        foreach (int cut in new[] { 5, 20, 40, png.Length / 2, png.Length - 14, png.Length - 1 })
        {
            var path = Path.Combine(_dir, $"cut-{cut}.png");
            File.WriteAllBytes(path, png[..cut]);
            var e = Assert.Throws<InvalidDataException>(() => LabelPng.Read(path));
            Assert.Contains(path, e.Message);
        }
        var truncated = Path.Combine(_dir, "cut-half.png");
        File.WriteAllBytes(truncated, png[..(png.Length / 2)]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => LabelPng.Read(truncated)).Message);

        var corrupt = (byte[])png.Clone();
        corrupt[60] ^= 0x40; // inside IDAT
        var corruptPath = Path.Combine(_dir, "corrupt.png");
        File.WriteAllBytes(corruptPath, corrupt);
        Assert.Contains("CRC", Assert.Throws<InvalidDataException>(() => LabelPng.Read(corruptPath)).Message);

        var jpeg = Path.Combine(_dir, "not-a-png.png");
        File.WriteAllBytes(jpeg, [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46]);
        Assert.Contains("not a PNG", Assert.Throws<InvalidDataException>(() => LabelPng.Read(jpeg)).Message);

        var missing = Path.Combine(_dir, "missing.png");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => LabelPng.Read(missing)).Message);
        Assert.Throws<ArgumentException>(() => LabelPng.Write(Path.Combine(_dir, "bad.png"), labels, w + 1, h));
    }

    /// <summary>Blocky random labels (runs, like real label maps, plus noise), values below <paramref name="max"/>.</summary>
    internal static (byte[] Labels, int W, int H) RandomLabels(int w, int h, int seed, int max = 256)
    {
        var rng = new Random(seed);
        var labels = new byte[w * h];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = i > 0 && rng.NextDouble() < 0.7 ? labels[i - 1] : (byte)rng.Next(max);
        return (labels, w, h);
    }

    private static byte[] Pixels(Image<L8> image)
    {
        var values = new byte[image.Width * image.Height];
        image.CopyPixelDataTo(values);
        return values;
    }

    /// <summary>The filter-type byte of every row of our own single-IDAT PNG.</summary>
    private static byte[] FilterBytes(string path, int w, int h)
    {
        var png = File.ReadAllBytes(path);
        int pos = 8;
        while (System.Text.Encoding.ASCII.GetString(png, pos + 4, 4) != "IDAT")
            pos += 12 + System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
        int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
        using var z = new System.IO.Compression.ZLibStream(new MemoryStream(png, pos + 8, length), System.IO.Compression.CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var bytes = raw.ToArray();
        return Enumerable.Range(0, h).Select(y => bytes[y * (w + 1)]).ToArray();
    }
}
