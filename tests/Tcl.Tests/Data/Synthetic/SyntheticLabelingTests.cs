using Tcl.Data.Synthetic;
using Tcl.Evaluation.Benchmarks;
using Tcl.IO;
using Xunit;

namespace Tcl.Tests.Data.Synthetic;

/// <summary>The five synthetic benchmarks: class lists, labels derived from the exact maps, manifests that open.</summary>
public class SyntheticLabelingTests
{
    private static readonly SyntheticWorldConfig World = SyntheticWorldConfig.Default;

    [Fact]
    public void Class_lists_follow_the_world()
    {
        Assert.Equal(12, SyntheticLabeling.ClassNames(SyntheticBenchmarkKind.Objects, World).Count);
        Assert.Equal(["circle", "square", "triangle", "star", "cross", "ring", "heart", "diamond", "zorblat", "quibbit", "flonk",
                      "grass", "sand", "water", "brick", "sky"], SyntheticLabeling.ClassNames(SyntheticBenchmarkKind.ObjectsAndStuff, World));
        Assert.Equal(["background", "red", "green", "blue", "yellow", "purple", "orange", "white"], SyntheticLabeling.ClassNames(SyntheticBenchmarkKind.Colours, World));
        Assert.Equal(["background", "purple star", "orange heart", "green ring"], SyntheticLabeling.ClassNames(SyntheticBenchmarkKind.HeldOut, World));
        Assert.Equal(["background", "zorblat", "quibbit", "flonk"], SyntheticLabeling.ClassNames(SyntheticBenchmarkKind.ProperNouns, World));
        Assert.False(SyntheticLabeling.WithBackground(SyntheticBenchmarkKind.ObjectsAndStuff));
        Assert.All(SyntheticLabeling.All.Where(k => k != SyntheticBenchmarkKind.ObjectsAndStuff), k => Assert.True(SyntheticLabeling.WithBackground(k)));
        Assert.Equal(5, SyntheticLabeling.All.Select(SyntheticLabeling.Key).Distinct().Count());
    }

    [Fact]
    public void Objects_and_stuff_labels_every_pixel_with_its_object_or_its_stuff()
    {
        var names = SyntheticLabeling.ClassNames(SyntheticBenchmarkKind.ObjectsAndStuff, World);
        var generator = new SyntheticGenerator(World);
        for (int i = 0; i < 20; i++)
        {
            var scene = generator.Generate(i, SyntheticSplit.Test);
            var labels = SyntheticLabeling.Labels(SyntheticBenchmarkKind.ObjectsAndStuff, scene, World);
            for (int p = 0; p < labels.Length; p++)
            {
                Assert.InRange(labels[p], 0, names.Count - 1);
                if (scene.ObjectClassMap[p] > 0) Assert.Equal(World.ObjectClassNames[scene.ObjectClassMap[p]], names[labels[p]]);
                else Assert.Equal(World.StuffClassNames[scene.StuffMap[p] - 1], names[labels[p]]);
            }
            Assert.Contains(names[labels.GroupBy(l => l).OrderByDescending(g => g.Count()).First().Key], scene.StuffNames.Concat(World.ObjectClassNames));
        }
    }

    [Fact]
    public void Colour_labels_name_each_objects_colour_and_ignore_sprites()
    {
        var generator = new SyntheticGenerator(World with { SpriteProbability = 0.3 });
        int sprites = 0;
        for (int i = 0; i < 40; i++)
        {
            var scene = generator.Generate(i, SyntheticSplit.Test);
            var labels = SyntheticLabeling.Labels(SyntheticBenchmarkKind.Colours, scene, World);
            for (int p = 0; p < labels.Length; p++)
            {
                int instance = scene.InstanceMap[p];
                if (instance == 0) { Assert.Equal(0, labels[p]); continue; }
                var o = scene.Objects[instance - 1];
                if (o.IsSprite) { Assert.Equal(SyntheticLabeling.Ignore, labels[p]); sprites++; }
                else Assert.Equal(o.Colour, World.Colours[labels[p] - 1].Name);     // pattern pixels too: the object is "red"
            }
        }
        Assert.True(sprites > 0, "the test world should draw some sprites");
    }

    [Fact]
    public void Held_out_scenes_always_contain_a_held_out_pair_and_only_those_are_labelled()
    {
        var sceneWorld = SyntheticLabeling.SceneWorld(SyntheticBenchmarkKind.HeldOut, World);
        var generator = new SyntheticGenerator(sceneWorld);
        int others = 0;
        for (int i = 0; i < 30; i++)
        {
            var scene = generator.Generate(i, SyntheticSplit.Test);
            var labels = SyntheticLabeling.Labels(SyntheticBenchmarkKind.HeldOut, scene, World);
            Assert.Contains(scene.Objects, o => o.Shape is { } s && World.IsHeldOut(o.Colour!, s));
            for (int p = 0; p < labels.Length; p++)
            {
                int instance = scene.InstanceMap[p];
                var o = instance == 0 ? null : scene.Objects[instance - 1];
                bool heldOut = o is { Shape: { } shape } && World.IsHeldOut(o.Colour!, shape);
                Assert.Equal(heldOut, labels[p] > 0);
                if (heldOut) Assert.Equal(SyntheticLabeling.PairName(new HeldOutPair(o!.Colour!, o.Shape!.Value)), SyntheticLabeling.ClassNames(SyntheticBenchmarkKind.HeldOut, World)[labels[p]]);
                else if (o is not null) others++;
            }
        }
        Assert.True(others > 0, "other objects must appear (as background) so that composition matters");
    }

    [Fact]
    public void Proper_noun_labels_mark_sprites_only()
    {
        var generator = new SyntheticGenerator(SyntheticLabeling.SceneWorld(SyntheticBenchmarkKind.ProperNouns, World));
        int spritePixels = 0;
        for (int i = 0; i < 20; i++)
        {
            var scene = generator.Generate(i, SyntheticSplit.Test);
            var labels = SyntheticLabeling.Labels(SyntheticBenchmarkKind.ProperNouns, scene, World);
            for (int p = 0; p < labels.Length; p++)
            {
                int instance = scene.InstanceMap[p];
                var o = instance == 0 ? null : scene.Objects[instance - 1];
                if (o is { IsSprite: true }) { Assert.Equal(o.Sprite, World.Sprites[labels[p] - 1].Name); spritePixels++; }
                else Assert.Equal(0, labels[p]);
            }
        }
        Assert.True(spritePixels > 0);
    }

    [Theory]
    [InlineData(SyntheticBenchmarkKind.ObjectsAndStuff)]
    [InlineData(SyntheticBenchmarkKind.Colours)]
    [InlineData(SyntheticBenchmarkKind.HeldOut)]
    [InlineData(SyntheticBenchmarkKind.ProperNouns)]
    public void Every_benchmark_writes_a_manifest_that_the_real_reader_opens(SyntheticBenchmarkKind kind)
    {
        using var dir = new TempDir();
        var layout = SyntheticBenchmark.Write(dir.Path, kind, World, count: 5);
        var manifest = ManifestReader.ReadFile(layout.ManifestPath);
        Assert.Equal(SyntheticLabeling.Key(kind), manifest.Key);
        Assert.Equal(SyntheticLabeling.ClassNames(kind, World), manifest.ClassNames);
        Assert.Equal(SyntheticLabeling.WithBackground(kind), manifest.Evaluation.WithBackground);
        Assert.Equal(manifest.ClassNames.Count - (manifest.Evaluation.WithBackground ? 1 : 0), manifest.PromptedClassNames.Count);
        var dataset = SegmentationDataset.Open(manifest, dir.Path);
        Assert.True(dataset.Verify().IsComplete, dataset.Verify().Message);
        var generator = new SyntheticGenerator(SyntheticLabeling.SceneWorld(kind, World));
        var samples = dataset.Samples();
        for (int i = 0; i < samples.Count; i++)
            Assert.Equal(SyntheticLabeling.Labels(kind, generator.Generate(i, SyntheticSplit.Test), World), LabelPng.Read(samples[i].LabelPath).Pixels);
        // Same arguments, same files.
        using var again = new TempDir();
        SyntheticBenchmark.Write(again.Path, kind, World, count: 5);
        Assert.Equal(File.ReadAllBytes(samples[3].LabelPath), File.ReadAllBytes(Path.Combine(again.Path, manifest.Layout.DataRoot, "labels", samples[3].Id + ".png")));
        Assert.Equal(File.ReadAllText(layout.ManifestPath), File.ReadAllText(Path.Combine(again.Path, manifest.Layout.DataRoot, SyntheticBenchmark.ManifestFileName)));
    }
}
