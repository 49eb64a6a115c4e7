using Tcl.Tests.Support;
using Tcl.Clip;
using Tcl.Data.Synthetic;
using Tcl.Demo;
using Xunit;

namespace Tcl.Tests.Demo;

public class ClipZeroShotProbeTests
{
    [Fact]
    public void Probe_counts_scenes_and_chance_from_the_scenes()
    {
        using var clip = new ClipModel(ClipPresets.SyntheticSmall);
        var world = SyntheticWorldConfig.Default;
        var results = ClipZeroShotProbe.Run(clip, world, scenes: 16);
        Assert.Equal(["shape", "colour", "stuff"], results.Select(r => r.Attribute).ToArray());
        Assert.True(clip.training, "the model's mode is restored");

        var generator = new SyntheticGenerator(world);
        var scenes = Enumerable.Range(0, 16).Select(i => generator.Generate(i, SyntheticSplit.Test)).ToList();
        var stuff = results[2];
        Assert.Equal(16, stuff.Scenes);
        Near.Abs(scenes.Average(s => s.StuffNames.Count / 5.0), stuff.Chance, 1e-12);   // doubles ≤ 1, same sums
        var shape = results[0];
        var withShapes = scenes.Where(s => s.Objects.Any(o => o.Area > 0 && o.Shape is not null)).ToList();
        Assert.Equal(withShapes.Count, shape.Scenes);
        Near.Abs(withShapes.Average(s => s.Objects.Where(o => o.Area > 0 && o.Shape is not null).Select(o => o.Shape).Distinct().Count() / 8.0), shape.Chance, 1e-12);
        Assert.All(results, r => Assert.InRange(r.Accuracy, 0, 1));
    }
}
