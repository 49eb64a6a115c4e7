using Tcl.Data.Synthetic;
using Xunit;
using Xunit.Abstractions;

namespace Tcl.Tests.Data.Synthetic;

/// <summary>The synthetic world's scenes: determinism by (seed, index), open-world splits, exact ground truth, speed.</summary>
public class SyntheticGeneratorTests(ITestOutputHelper output)
{
    private static readonly SyntheticGenerator Generator = new(SyntheticWorldConfig.Default);

    [Fact]
    public void Same_seed_and_index_give_the_same_scene_in_any_order()
    {
        var forward = Enumerable.Range(0, 20).Select(i => Generator.Generate(i)).ToList();
        var other = new SyntheticGenerator(SyntheticWorldConfig.Default);
        for (int i = 19; i >= 0; i--)
        {
            var again = other.Generate(i);
            Assert.Equal(forward[i].Rgb, again.Rgb);
            Assert.Equal(forward[i].ObjectClassMap, again.ObjectClassMap);
            Assert.Equal(forward[i].StuffMap, again.StuffMap);
            Assert.Equal(CaptionWriter.Write(forward[i]), CaptionWriter.Write(again));
        }
        Assert.NotEqual(forward[0].Rgb, forward[1].Rgb);
        var reseeded = new SyntheticGenerator(SyntheticWorldConfig.Default with { Seed = 1 }).Generate(0);
        Assert.NotEqual(forward[0].Rgb, reseeded.Rgb);
        Assert.NotEqual(forward[0].Rgb, Generator.Generate(0, SyntheticSplit.Test).Rgb);
    }

    [Fact]
    public void Held_out_pairs_never_occur_in_training_but_do_in_test()
    {
        var cfg = SyntheticWorldConfig.Default;
        for (int i = 0; i < 2000; i++)
            foreach (var o in Generator.Generate(i).Objects)
                if (o.Shape is { } shape)
                    Assert.False(cfg.IsHeldOut(o.Colour!, shape), $"scene {i} has held-out {o.Colour} {shape}");
        int heldOutInTest = Enumerable.Range(0, 200).SelectMany(i => Generator.Generate(i, SyntheticSplit.Test).Objects)
            .Count(o => o.Shape is { } s && cfg.IsHeldOut(o.Colour!, s));
        Assert.True(heldOutInTest > 30, $"only {heldOutInTest} held-out objects in 200 test scenes");
    }

    [Fact]
    public void Ground_truth_matches_the_pixels()
    {
        var cfg = SyntheticWorldConfig.Default;
        int sprites = 0, patterned = 0, twoStuff = 0;
        for (int i = 0; i < 300; i++)
        {
            var scene = Generator.Generate(i);
            int n = scene.Size * scene.Size;
            Assert.InRange(scene.Objects.Count, cfg.MinObjects, cfg.MaxObjects);
            if (scene.StuffNames.Count == 2) twoStuff++;
            for (int p = 0; p < n; p++)
            {
                int inst = scene.InstanceMap[p];
                Assert.Equal(inst == 0, scene.ObjectClassMap[p] == 0);
                Assert.Equal(inst == 0, scene.StuffMap[p] != 0);
                if (inst != 0) Assert.Equal(scene.Objects[inst - 1].ObjectClass, scene.ObjectClassMap[p]);
                else Assert.Contains(cfg.Stuff[scene.StuffMap[p] - 1].Name, scene.StuffNames);
            }
            for (int k = 0; k < scene.Objects.Count; k++)
            {
                var o = scene.Objects[k];
                if (o.IsSprite) { sprites++; Assert.Equal(1 + cfg.Shapes.Count + cfg.Sprites.ToList().FindIndex(s => s.Name == o.Sprite), o.ObjectClass); continue; }
                if (o.Pattern != SyntheticPattern.None) patterned++;
                Assert.Equal(1 + cfg.Shapes.ToList().IndexOf(o.Shape!.Value), o.ObjectClass);
                var c = cfg.Colours.Single(x => x.Name == o.Colour);
                for (int p = 0; p < n; p++)
                {
                    Assert.Equal(o.Mask[p], scene.InstanceMap[p] == k + 1);
                    if (!o.Mask[p] || o.PatternMask[p]) continue;
                    Assert.True(scene.Rgb[3 * p] == c.R && scene.Rgb[3 * p + 1] == c.G && scene.Rgb[3 * p + 2] == c.B,
                        $"scene {i} object {k} ({o.Colour} {o.Shape}) pixel {p}");
                }
                if (o.Pattern == SyntheticPattern.None) Assert.DoesNotContain(true, o.PatternMask);
            }
        }
        output.WriteLine($"300 scenes: {sprites} sprites, {patterned} patterned objects, {twoStuff} two-stuff backgrounds");
        Assert.True(sprites > 0 && patterned > 0 && twoStuff > 0);
    }

    [Fact]
    public void Every_shape_rasterises_to_a_compact_blob()
    {
        foreach (var shape in Enum.GetValues<SyntheticShape>())
        {
            var mask = ShapeRasterizer.Mask(shape, 32, 32, 16, 64);
            int area = mask.Count(m => m);
            Assert.InRange(area, 200, (int)(Math.PI * 16 * 16) + 20);
            Assert.False(mask[0] || mask[63] || mask[64 * 63], $"{shape} leaks to the corners");
        }
        Assert.False(ShapeRasterizer.Inside(SyntheticShape.Ring, 0, 0)); // the hole
        Assert.True(ShapeRasterizer.Inside(SyntheticShape.Circle, 0, 0));
    }

    [Fact]
    public void Config_round_trips_through_json()
    {
        string json = System.Text.Json.JsonSerializer.Serialize(SyntheticWorldConfig.Default);
        var back = System.Text.Json.JsonSerializer.Deserialize<SyntheticWorldConfig>(json)!;
        Assert.Equal(new SyntheticGenerator(SyntheticWorldConfig.Default).Generate(5).Rgb, new SyntheticGenerator(back).Generate(5).Rgb);
        Assert.Contains("purple", json);
        Assert.Contains("zorblat", json);
    }

    [Fact]
    public void Generation_speed_is_reported()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        int captionChars = 0;
        for (int i = 0; i < 1000; i++) captionChars += CaptionWriter.Write(Generator.Generate(i)).Length;
        sw.Stop();
        output.WriteLine($"1000 scenes + captions (64×64) in {sw.Elapsed.TotalMilliseconds:F0} ms = {1000 / sw.Elapsed.TotalSeconds:F0} scenes/s (mean caption {captionChars / 1000.0:F0} chars)");
    }
}
