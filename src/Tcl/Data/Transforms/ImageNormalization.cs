using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace Tcl.Data.Transforms;

/// <summary>
/// torchvision's <c>ToTensor</c> + <c>Normalize(mean, std)</c>: 8-bit RGB <c>[H, W, 3]</c> → float32 <c>[3, H, W]</c>
/// with <c>(v / 255 − mean) / std</c>, computed in float32 in that order so the values equal PyTorch's bit for bit.
/// Shared by training (<see cref="TrainTransform"/>) and evaluation. Defaults are the ImageNet statistics (as the
/// official <c>us/misc.py</c>).
/// </summary>
public static class ImageNormalization
{
    /// <summary>Normalised CHW values of <paramref name="pixels"/> as a flat array <c>[3·H·W]</c>.</summary>
    /// <param name="pixels">Source image.</param>
    /// <param name="mean">Per-channel mean on [0, 1] (default ImageNet).</param>
    /// <param name="std">Per-channel std on [0, 1] (default ImageNet).</param>
    public static float[] ToChw(RgbPixels pixels, ChannelStats? mean = null, ChannelStats? std = null)
    {
        var m = mean ?? ChannelStats.ImageNetMean;
        var s = std ?? ChannelStats.ImageNetStd;
        int plane = pixels.Width * pixels.Height;
        var result = new float[3 * plane];
        var data = pixels.Data;
        for (int c = 0; c < 3; c++)
        {
            float mc = (float)m[c], sc = (float)s[c];
            // One table per channel: 256 possible inputs, same float32 ops as torch (div 255, sub mean, div std).
            var table = new float[256];
            for (int v = 0; v < 256; v++) table[v] = (v / 255f - mc) / sc;
            for (int i = 0; i < plane; i++) result[c * plane + i] = table[data[i * 3 + c]];
        }
        return result;
    }

    /// <summary>The normalised float32 tensor <c>[3, H, W]</c> of <paramref name="pixels"/>.</summary>
    /// <param name="pixels">Source image.</param>
    /// <param name="mean">Per-channel mean on [0, 1] (default ImageNet).</param>
    /// <param name="std">Per-channel std on [0, 1] (default ImageNet).</param>
    public static Tensor ToTensor(RgbPixels pixels, ChannelStats? mean = null, ChannelStats? std = null) =>
        FromChw(ToChw(pixels, mean, std), pixels.Height, pixels.Width);

    /// <summary>The normalised float32 tensor <c>[3, H, W]</c> of an ImageSharp image (the image is not changed).</summary>
    /// <param name="image">Source image.</param>
    /// <param name="mean">Per-channel mean on [0, 1] (default ImageNet).</param>
    /// <param name="std">Per-channel std on [0, 1] (default ImageNet).</param>
    public static Tensor ToTensor(Image<Rgb24> image, ChannelStats? mean = null, ChannelStats? std = null) =>
        ToTensor(RgbPixels.FromImage(image), mean, std);

    /// <summary>Wraps CHW values as a float32 tensor <c>[3, H, W]</c>.</summary>
    /// <param name="chw">Values, channel-major, length <c>3·H·W</c>.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    public static Tensor FromChw(float[] chw, int height, int width) => tensor(chw, [3, height, width]);
}
