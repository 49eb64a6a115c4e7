using Tcl.Data.Transforms;
using TorchSharp;
using Xunit;

namespace Tcl.Tests.Data.Transforms;

public class RandomErasingTests
{
    private static readonly RandomErasing Eraser = new(new RandomErasingConfig { Probability = 1.0 });

    [Fact]
    public void BoxFollowsTimmFormulas()
    {
        // 20×10 image (area 200): u=0 → 0.02·200 = 4, log-aspect u=0.5 → aspect 1 (sqrt(0.3·3.33) = 1) → h = w = 2.
        var random = new ScriptedRandom([0.0, 0.0, 0.5], [3, 11]);
        var boxes = new List<CropBox>();
        Eraser.DrawBoxes(10, 20, random, boxes.Add);
        Assert.Equal([new CropBox(3, 11, 2, 2)], boxes);
    }

    [Fact]
    public void CoinAboveProbabilityErasesNothing()
    {
        var eraser = new RandomErasing(new RandomErasingConfig());
        var values = new float[3 * 4 * 4];
        var random = new ScriptedRandom([0.26]);
        Assert.Empty(eraser.Apply(values, 3, 4, 4, random));
        Assert.All(values, v => Assert.Equal(0f, v));
        Assert.Equal(0, random.DoublesLeft);
    }

    [Fact]
    public void GivesUpAfterTenAttemptsWhenNoBoxFits()
    {
        // On a 1×1 image no box fits (timm needs w < W and h < H): the coin, then 10 attempts of 2 draws, no box.
        var random = new ScriptedRandom(Enumerable.Repeat(1.0, 21));
        var boxes = new List<CropBox>();
        Eraser.DrawBoxes(1, 1, random, boxes.Add);
        Assert.Empty(boxes);
        Assert.Equal(0, random.DoublesLeft);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void ErasesExactlyOneBoxInsideTheImage(int seed)
    {
        const int c = 3, h = 24, w = 32;
        var values = Enumerable.Repeat(9f, c * h * w).ToArray();
        var boxes = Eraser.Apply(values, c, h, w, new Random(seed));
        var box = Assert.Single(boxes);
        Assert.InRange(box.Top, 0, h - box.Height);
        Assert.InRange(box.Left, 0, w - box.Width);
        Assert.InRange(box.Height * box.Width, 0.02 * h * w - 2 * (box.Height + box.Width), h * w / 3.0 + 2 * (box.Height + box.Width));
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    bool inside = y >= box.Top && y < box.Top + box.Height && x >= box.Left && x < box.Left + box.Width;
                    float v = values[(ch * h + y) * w + x];
                    if (inside) Assert.NotEqual(9f, v);
                    else Assert.Equal(9f, v);
                }
    }

    [Fact]
    public void PixelModeValuesLookStandardNormal()
    {
        var values = new float[200_000];
        RandomDraws.FillStandardNormal(new Random(3), values);
        double mean = values.Average(v => (double)v), var = values.Average(v => (double)v * v) - mean * mean;
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(var, 0.98, 1.02);
    }

    [Fact]
    public void TensorOverloadMatchesBufferOverload()
    {
        var buffer = new float[3 * 16 * 16];
        var boxes = Eraser.Apply(buffer, 3, 16, 16, new Random(11));
        using var t = torch.zeros(3, 16, 16);
        var tensorBoxes = Eraser.Apply(t, new Random(11));
        Assert.Equal(boxes, tensorBoxes);
        Assert.Equal(buffer, t.data<float>().ToArray());
    }

    [Fact]
    public void ConstAndRandModes()
    {
        var constant = new RandomErasing(new RandomErasingConfig { Probability = 1, Mode = ErasingMode.Const });
        var values = Enumerable.Repeat(5f, 3 * 10 * 10).ToArray();
        var box = Assert.Single(constant.Apply(values, 3, 10, 10, new Random(1)));
        Assert.Equal(3 * box.Height * box.Width, values.Count(v => v == 0f));

        var rand = new RandomErasing(new RandomErasingConfig { Probability = 1, Mode = ErasingMode.Rand });
        values = Enumerable.Repeat(5f, 3 * 10 * 10).ToArray();
        box = Assert.Single(rand.Apply(values, 3, 10, 10, new Random(2)));
        for (int ch = 0; ch < 3; ch++)
        {
            var inBox = values.Skip(ch * 100).Take(100).Where(v => v != 5f).Distinct().ToArray();
            Assert.Single(inBox); // one value per channel
        }
    }
}
