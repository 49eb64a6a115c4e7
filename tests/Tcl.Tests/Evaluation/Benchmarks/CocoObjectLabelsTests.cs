using System.Text.Json;
using Tcl.Evaluation.Benchmarks;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Evaluation.Benchmarks;

public class CocoObjectLabelsTests
{
    [Fact]
    public void Things_become_1_to_80_and_stuff_and_unlabeled_become_background()
    {
        // person 0 → 1, bicycle 1 → 2, 12 (stop sign; raw 11 is an unused id) → 12, toothbrush 89 → 80,
        // stuff 91 (banner) and 181 → 0, unlabeled 255 → 0.
        byte[] raw = [0, 1, 12, 89, 91, 181, 255];
        Assert.Equal(new byte[] { 1, 2, 12, 80, 0, 0, 0 }, CocoObjectLabels.FromCocoStuff(raw));
    }

    [Fact]
    public void Every_value_follows_the_spec_mapping_file()
    {
        using JsonDocument spec = JsonDocument.Parse(File.ReadAllText(Fixtures.SpecData("coco_object_label_mapping.json")));
        var map = spec.RootElement.GetProperty("mapping").EnumerateObject().ToDictionary(p => int.Parse(p.Name), p => p.Value.GetInt32());
        byte[] all = Enumerable.Range(0, 256).Select(v => (byte)v).ToArray();

        byte[] mapped = CocoObjectLabels.FromCocoStuff(all);

        for (int v = 0; v < 256; v++)
            Assert.Equal(map.TryGetValue(v, out int expected) ? expected : 255, mapped[v]);
    }

    [Fact]
    public void Maps_in_place_and_rejects_a_short_destination()
    {
        byte[] labels = [0, 91, 255];
        CocoObjectLabels.FromCocoStuff(labels, labels);
        Assert.Equal(new byte[] { 1, 0, 0 }, labels);
        Assert.Throws<ArgumentException>(() => CocoObjectLabels.FromCocoStuff(new byte[3], new byte[2]));
    }
}
