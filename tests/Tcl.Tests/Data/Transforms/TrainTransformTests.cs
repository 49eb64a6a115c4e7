using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data.Transforms;
using TorchSharp;
using Xunit;

namespace Tcl.Tests.Data.Transforms;

public class TrainTransformTests
{
    private static readonly TrainAugmentConfig Small = TrainAugmentConfig.Official with { ImageSize = 16 };

    private static Image<Rgb24> Picture(int w = 40, int h = 30)
    {
        var image = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                image[x, y] = new Rgb24((byte)(6 * x), (byte)(8 * y), (byte)((x * y) % 256));
        return image;
    }

    [Fact]
    public void OutputIsFloat32ChwOfImageSize()
    {
        using var image = Picture();
        using var t = new TrainTransform(Small).Apply(image, new Random(0));
        Assert.Equal(new long[] { 3, 16, 16 }, t.shape);
        Assert.Equal(torch.ScalarType.Float32, t.dtype);
    }

    [Fact]
    public void SameSeedSameTensorDifferentSeedsDiffer()
    {
        using var image = Picture();
        var transform = new TrainTransform(Small);
        var a = transform.ApplyToValues(image, new Random(123));
        var b = transform.ApplyToValues(image, new Random(123));
        Assert.Equal(a, b);
        var distinct = Enumerable.Range(0, 8)
            .Select(seed => Convert.ToBase64String(transform.ApplyToValues(image, new Random(seed)).SelectMany(BitConverter.GetBytes).ToArray()))
            .Distinct().Count();
        Assert.True(distinct >= 7, $"only {distinct} distinct outputs for 8 seeds");
    }

    [Fact]
    public void DoesNotChangeTheCallersImage()
    {
        using var image = Picture();
        var before = RgbPixels.FromImage(image).Data;
        var transform = new TrainTransform(Small);
        for (int seed = 0; seed < 20; seed++) transform.Apply(image, new Random(seed)).Dispose();
        Assert.Equal(before, RgbPixels.FromImage(image).Data);
    }

    [Fact]
    public void NonePresetIsPlainNormalisationAtTheRightSize()
    {
        using var image = Picture(16, 16);
        var config = TrainAugmentConfig.None with { ImageSize = 16 };
        using var t = new TrainTransform(config).Apply(image, new ScriptedRandom([]));
        using var expected = TrainTransform.ToNormalizedTensor(image);
        Assert.Equal(expected.data<float>().ToArray(), t.data<float>().ToArray());
    }

    [Fact]
    public void MinimalPresetOnlyCropsAndFlips()
    {
        using var image = new Image<Rgb24>(20, 20, new Rgb24(124, 116, 104));
        var values = new TrainTransform(TrainAugmentConfig.Minimal with { ImageSize = 8 }).ApplyToValues(image, new Random(4));
        float expectedR = (124 / 255f - 0.485f) / 0.229f;
        Assert.All(values.Take(64), v => Assert.Equal(expectedR, v));
    }

    [Fact]
    public void UsableAsLoaderDelegate()
    {
        Func<Image<Rgb24>, Random, torch.Tensor> f = new TrainTransform(Small).Apply;
        using var image = Picture();
        using var t = f(image, new Random(1));
        Assert.Equal(3 * 16 * 16, t.numel());
    }

    [Fact]
    public void ConfigRoundTripsThroughJson()
    {
        foreach (var config in new[] { TrainAugmentConfig.Official, TrainAugmentConfig.Minimal, TrainAugmentConfig.None })
        {
            var json = JsonSerializer.Serialize(config);
            Assert.Equal(config, JsonSerializer.Deserialize<TrainAugmentConfig>(json));
        }
        var official = JsonSerializer.Serialize(TrainAugmentConfig.Official);
        Assert.Contains("\"rand-m9-mstd0.5-inc1\"", official);
        Assert.Contains("\"Pixel\"", official);
    }

    [Fact]
    public void OfficialPresetIsSpecSection32()
    {
        var c = TrainAugmentConfig.Official;
        Assert.Equal(224, c.ImageSize);
        Assert.Equal(new Interval(0.08, 1.0), c.Scale);
        Assert.Equal(new Interval(0.75, 4.0 / 3.0), c.Ratio);
        Assert.Equal(0.5, c.HorizontalFlip);
        Assert.Equal(RandAugmentPolicy.Tcl, c.RandAugment);
        Assert.Equal(new RandomErasingConfig { Probability = 0.25, Mode = ErasingMode.Pixel, MaxCount = 1 }, c.RandomErasing);
        Assert.Equal(ChannelStats.ImageNetMean, c.Mean);
        Assert.Equal(ChannelStats.ImageNetStd, c.Std);
    }

    [Fact]
    public void InvalidConfigNamesTheField()
    {
        var e = Assert.Throws<ArgumentException>(() => new TrainTransform(TrainAugmentConfig.Official with { Scale = new Interval(0.9, 0.1) }));
        Assert.Contains("Scale", e.Message);
    }
}
