using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Tcl.Data.Transforms;

/// <summary>
/// An 8-bit RGB image as one interleaved byte array, row-major <c>[H, W, 3]</c> — the layout of a PIL "RGB" image.
/// The RandAugment ops, the flip and the tensor conversion work on this buffer rather than on ImageSharp's pixel
/// rows, so that each op is a plain loop with PIL's integer arithmetic and the whole chain converts only twice.
/// </summary>
public sealed class RgbPixels
{
    /// <summary>A buffer of the given size; <paramref name="data"/> (length <c>H·W·3</c>) is taken, not copied.</summary>
    /// <param name="width">W.</param>
    /// <param name="height">H.</param>
    /// <param name="data">Interleaved RGB bytes, or null for a black image.</param>
    public RgbPixels(int width, int height, byte[]? data = null)
    {
        if (width < 1 || height < 1) throw new ArgumentException($"Image size must be positive, got {width}×{height}.");
        data ??= new byte[checked(width * height * 3)];
        if (data.Length != width * height * 3)
            throw new ArgumentException($"Pixel data has {data.Length} bytes, a {width}×{height} RGB image needs {width * height * 3}.", nameof(data));
        Width = width;
        Height = height;
        Data = data;
    }

    /// <summary>Width W in pixels.</summary>
    public int Width { get; }

    /// <summary>Height H in pixels.</summary>
    public int Height { get; }

    /// <summary>Interleaved RGB bytes, <c>[H, W, 3]</c> row-major.</summary>
    public byte[] Data { get; }

    /// <summary>Byte offset of channel <paramref name="c"/> of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="c">Channel 0..2.</param>
    public int Index(int x, int y, int c = 0) => (y * Width + x) * 3 + c;

    /// <summary>Channel <paramref name="c"/> of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="c">Channel 0..2.</param>
    public byte this[int x, int y, int c]
    {
        get => Data[Index(x, y, c)];
        set => Data[Index(x, y, c)] = value;
    }

    /// <summary>A uniform image of one colour.</summary>
    /// <param name="width">W.</param>
    /// <param name="height">H.</param>
    /// <param name="colour">The colour of every pixel.</param>
    public static RgbPixels Filled(int width, int height, Rgb24 colour)
    {
        var image = new RgbPixels(width, height);
        for (int i = 0; i < image.Data.Length; i += 3)
        {
            image.Data[i] = colour.R;
            image.Data[i + 1] = colour.G;
            image.Data[i + 2] = colour.B;
        }
        return image;
    }

    /// <summary>Copies the pixels of an ImageSharp image (the image is not changed).</summary>
    /// <param name="image">Source image.</param>
    public static RgbPixels FromImage(Image<Rgb24> image)
    {
        var result = new RgbPixels(image.Width, image.Height);
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
                MemoryMarshal.AsBytes(rows.GetRowSpan(y)).CopyTo(result.Data.AsSpan(y * result.Width * 3, result.Width * 3));
        });
        return result;
    }

    /// <summary>A new ImageSharp image with these pixels (for saving or display).</summary>
    public Image<Rgb24> ToImage() => Image.LoadPixelData<Rgb24>(Data, Width, Height);

    /// <summary>An independent copy.</summary>
    public RgbPixels Clone() => new(Width, Height, (byte[])Data.Clone());

    /// <summary>Mirrors the image left–right in place (torchvision <c>hflip</c>, PIL <c>FLIP_LEFT_RIGHT</c>).</summary>
    public void FlipHorizontal()
    {
        for (int y = 0; y < Height; y++)
        {
            int row = y * Width * 3;
            for (int left = 0, right = Width - 1; left < right; left++, right--)
            {
                for (int c = 0; c < 3; c++)
                    (Data[row + left * 3 + c], Data[row + right * 3 + c]) = (Data[row + right * 3 + c], Data[row + left * 3 + c]);
            }
        }
    }

    /// <summary>torchvision <c>RandomHorizontalFlip(p)</c>: flips when one uniform draw is below <paramref name="probability"/>.</summary>
    /// <param name="probability">Flip probability p.</param>
    /// <param name="random">The only source of randomness (one draw, always made).</param>
    /// <returns>Whether the image was flipped.</returns>
    public bool MaybeFlipHorizontal(double probability, Random random)
    {
        bool flip = random.NextDouble() < probability;
        if (flip) FlipHorizontal();
        return flip;
    }
}
