using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Data.Transforms;

/// <summary>
/// timm's <c>RandomErasing</c> (timm 0.6.7 <c>random_erasing.py</c>), applied after normalisation to one image
/// <c>[C, H, W]</c>: with probability p, draw a box count in <c>[MinCount, MaxCount]</c>; for each box try up to 10 times
/// <c>target = uniform(area)·H·W / count</c>, <c>aspect = exp(uniform(log aspect))</c>,
/// <c>h = round(√(target·aspect))</c>, <c>w = round(√(target/aspect))</c>, accepted when <c>w &lt; W</c> and <c>h &lt; H</c>
/// (strict, as timm), then a uniform top/left and the box is overwritten (mode "pixel": N(0,1) per value, "rand": N(0,1)
/// per channel, "const": 0). Deviation: the normal values come from <see cref="RandomDraws.FillStandardNormal"/> on the
/// caller's <see cref="Random"/> (Box–Muller) rather than <c>torch.normal_</c>, so the whole transform is reproducible
/// from one seed; the distribution is the same.
/// </summary>
public sealed class RandomErasing
{
    /// <summary>Attempts per box before giving up on it (timm: 10).</summary>
    public const int Attempts = 10;

    /// <summary>An eraser with the given settings.</summary>
    /// <param name="config">Probability, mode, count, area and aspect ranges.</param>
    public RandomErasing(RandomErasingConfig config) => Config = config;

    /// <summary>The settings.</summary>
    public RandomErasingConfig Config { get; }

    /// <summary>Draws the boxes for a <paramref name="height"/>×<paramref name="width"/> image (empty when the coin says no).</summary>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="random">The only source of randomness; the fill values of each box are drawn by the caller right after its box.</param>
    /// <param name="onBox">Called for each accepted box, before the next box is drawn (so fill draws interleave as in timm).</param>
    public void DrawBoxes(int height, int width, Random random, Action<CropBox> onBox)
    {
        if (random.NextDouble() > Config.Probability) return;
        double area = (double)height * width;
        int count = Config.MinCount == Config.MaxCount ? Config.MinCount : RandomDraws.RandInt(random, Config.MinCount, Config.MaxCount);
        double logMin = Math.Log(Config.Aspect.Min), logMax = Math.Log(Config.Aspect.Max);
        for (int box = 0; box < count; box++)
        {
            for (int attempt = 0; attempt < Attempts; attempt++)
            {
                double target = RandomDraws.Uniform(random, Config.Area.Min, Config.Area.Max) * area / count;
                double aspect = Math.Exp(RandomDraws.Uniform(random, logMin, logMax));
                int h = (int)Math.Round(Math.Sqrt(target * aspect));
                int w = (int)Math.Round(Math.Sqrt(target / aspect));
                if (w < width && h < height)
                {
                    int top = RandomDraws.RandInt(random, 0, height - h);
                    int left = RandomDraws.RandInt(random, 0, width - w);
                    onBox(new CropBox(top, left, h, w));
                    break;
                }
            }
        }
    }

    /// <summary>Erases in place on a CHW float buffer <c>[channels, height, width]</c> (what <see cref="TrainTransform"/> uses).</summary>
    /// <param name="chw">Normalised image values, channel-major.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="random">The only source of randomness.</param>
    /// <returns>The boxes erased.</returns>
    public IReadOnlyList<CropBox> Apply(float[] chw, int channels, int height, int width, Random random)
    {
        if (chw.Length != channels * height * width)
            throw new ArgumentException($"Buffer has {chw.Length} values, [{channels}, {height}, {width}] needs {channels * height * width}.", nameof(chw));
        var boxes = new List<CropBox>();
        DrawBoxes(height, width, random, box =>
        {
            boxes.Add(box);
            var values = FillValues(channels, box, random); // [C, h, w] or [C]
            bool perChannel = values.Length == channels;
            for (int c = 0; c < channels; c++)
                for (int y = 0; y < box.Height; y++)
                    for (int x = 0; x < box.Width; x++)
                        chw[(c * height + box.Top + y) * width + box.Left + x] =
                            perChannel ? values[c] : values[(c * box.Height + y) * box.Width + x];
        });
        return boxes;
    }

    /// <summary>Erases in place on a float32 tensor <c>[C, H, W]</c> (any device; values are drawn on the CPU).</summary>
    /// <param name="image">Normalised image tensor <c>[C, H, W]</c>.</param>
    /// <param name="random">The only source of randomness.</param>
    /// <returns>The boxes erased.</returns>
    public IReadOnlyList<CropBox> Apply(Tensor image, Random random)
    {
        if (image.dim() != 3) throw new ArgumentException($"RandomErasing takes one image [C, H, W], got shape [{string.Join(", ", image.shape)}].", nameof(image));
        int channels = (int)image.shape[0], height = (int)image.shape[1], width = (int)image.shape[2];
        var boxes = new List<CropBox>();
        DrawBoxes(height, width, random, box =>
        {
            boxes.Add(box);
            var values = FillValues(channels, box, random);
            using var patch = values.Length == channels
                ? torch.tensor(values, [channels, 1, 1]).expand(channels, box.Height, box.Width)
                : torch.tensor(values, [channels, box.Height, box.Width]);
            using var region = image.narrow(1, box.Top, box.Height).narrow(2, box.Left, box.Width);
            region.copy_(patch);
        });
        return boxes;
    }

    private float[] FillValues(int channels, CropBox box, Random random)
    {
        var values = new float[Config.Mode == ErasingMode.Pixel ? channels * box.Height * box.Width : channels];
        if (Config.Mode != ErasingMode.Const) RandomDraws.FillStandardNormal(random, values);
        return values;
    }
}
