using System.Text.Json;
using Tcl.Clip;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Clip;

/// <summary>
/// A ViT-B/16 CLIP built from <see cref="ClipConfig.ViTB16"/> has the official parameter names and shapes
/// (<c>spec/data/param_inventory_vitb16.json</c>, CLIP part). In TCL the text tower sits under
/// <c>clip_text_encoder.</c>, the image tower under <c>clip_image_encoder.clip_visual.</c> and CLIP's
/// <c>ln_post</c>/<c>proj</c> under <c>clip_image_encoder.clip_proj.{ln.*, proj}</c>.
/// </summary>
public class ClipInventoryTests
{
    private static Dictionary<string, long[]> Inventory(string prefix)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.SpecData("param_inventory_vitb16.json")));
        return doc.RootElement.GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("name").GetString()!.StartsWith(prefix))
            .ToDictionary(p => p.GetProperty("name").GetString()![prefix.Length..],
                          p => p.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray());
    }

    private static void AssertSameNamesAndShapes(Dictionary<string, long[]> expected, Dictionary<string, long[]> actual, string what)
    {
        var missing = expected.Keys.Except(actual.Keys).ToList();
        var extra = actual.Keys.Except(expected.Keys).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{what}: missing [{string.Join(", ", missing.Take(10))}] unexpected [{string.Join(", ", extra.Take(10))}]");
        var wrong = expected.Where(kv => !kv.Value.SequenceEqual(actual[kv.Key]))
            .Select(kv => $"{kv.Key} [{string.Join(",", actual[kv.Key])}] vs [{string.Join(",", kv.Value)}]").ToList();
        Assert.True(wrong.Count == 0, $"{what}: shape mismatches {string.Join("; ", wrong.Take(10))}");
    }

    [Fact]
    public void VitB16NamesAndShapesMatchTheOfficialInventory()
    {
        using var model = new ClipModel(ClipConfig.ViTB16);
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Empty(model.named_buffers());

        var text = shapes.Where(kv => !kv.Key.StartsWith("visual.") && kv.Key != "logit_scale").ToDictionary(kv => kv.Key, kv => kv.Value);
        AssertSameNamesAndShapes(Inventory("clip_text_encoder."), text, "text tower");

        var projKeys = new Dictionary<string, string> { ["visual.ln_post.weight"] = "ln.weight", ["visual.ln_post.bias"] = "ln.bias", ["visual.proj"] = "proj" };
        var visual = shapes.Where(kv => kv.Key.StartsWith("visual.") && !projKeys.ContainsKey(kv.Key))
            .ToDictionary(kv => kv.Key["visual.".Length..], kv => kv.Value);
        AssertSameNamesAndShapes(Inventory("clip_image_encoder.clip_visual."), visual, "image tower");
        AssertSameNamesAndShapes(Inventory("clip_image_encoder.clip_proj."), projKeys.ToDictionary(kv => kv.Value, kv => shapes[kv.Key]), "ln_post + proj");

        // The text tower module alone yields exactly the keys TCL stores under clip_text_encoder.
        AssertSameNamesAndShapes(Inventory("clip_text_encoder."),
            model.Text.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape), "TextTransformer alone");
    }
}
