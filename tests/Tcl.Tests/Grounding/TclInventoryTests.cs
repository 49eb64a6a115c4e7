using System.Text.Json;
using Tcl.Clip;
using Tcl.Grounding;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Grounding;

/// <summary>
/// A ViT-B/16-sized TCL against <c>spec/data/param_inventory_vitb16.json</c>: every parameter's name and shape,
/// trainability in the decoder-only phase and after it, weight-decay group, and the trainable totals (21,637,640 / 28,725,512).
/// </summary>
public class TclInventoryTests
{
    private sealed record Entry(long[] Shape, bool TrainableUst, bool TrainableFull, bool Decay);

    private static Dictionary<string, Entry> Inventory(out JsonElement summary)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.SpecData("param_inventory_vitb16.json")));
        summary = doc.RootElement.GetProperty("summary").Clone();
        return doc.RootElement.GetProperty("parameters").EnumerateArray().ToDictionary(
            p => p.GetProperty("name").GetString()!,
            p => new Entry(p.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray(),
                p.GetProperty("trainable_steps_0_29999").GetBoolean(), p.GetProperty("trainable_from_30000").GetBoolean(),
                p.GetProperty("weight_decay_0_05").GetBoolean()));
    }

    [Fact]
    public void VitB16TclMatchesTheOfficialInventory()
    {
        var expected = Inventory(out var summary);
        using var model = new TclModel(ClipConfig.ViTB16);
        var ours = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        var missing = expected.Keys.Except(ours.Keys).ToList();
        var extra = ours.Keys.Except(expected.Keys).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"missing [{string.Join(", ", missing.Take(10))}] unexpected [{string.Join(", ", extra.Take(10))}]");
        var wrongShape = expected.Where(kv => !kv.Value.Shape.SequenceEqual(ours[kv.Key].shape)).Select(kv => kv.Key).ToList();
        Assert.True(wrongShape.Count == 0, $"shape mismatches: {string.Join(", ", wrongShape.Take(10))}");
        Assert.Equal(summary.GetProperty("total_params").GetInt64(), ours.Values.Sum(p => p.numel()));
        var wrongDecay = expected.Where(kv => kv.Value.Decay != Tcl.Training.WeightDecay.IsDecayed(kv.Key, ours[kv.Key].shape)).Select(kv => kv.Key).ToList();
        Assert.True(wrongDecay.Count == 0, $"weight-decay group differs for {string.Join(", ", wrongDecay.Take(10))}");

        foreach (bool decoderOnly in new[] { true, false })
        {
            model.SetDecoderOnlyPhase(decoderOnly);
            var wrong = expected.Where(kv => (decoderOnly ? kv.Value.TrainableUst : kv.Value.TrainableFull) != ours[kv.Key].requires_grad)
                .Select(kv => kv.Key).ToList();
            Assert.True(wrong.Count == 0, $"trainability (decoder-only {decoderOnly}) differs for {string.Join(", ", wrong.Take(10))}");
            long trainable = ours.Values.Where(p => p.requires_grad).Sum(p => p.numel());
            Assert.Equal(summary.GetProperty(decoderOnly ? "trainable_ust" : "trainable_full").GetInt64(), trainable);
        }
    }
}
