using System.Text.Json;
using System.Text.Json.Nodes;
using Tcl.IO;

namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// Writes a <see cref="BenchmarkManifest"/> in the schema <see cref="ManifestReader"/> reads (the one of
/// <c>data-manifests/*.json</c>), with its class list next to it, so generated benchmarks (the synthetic world) are
/// described exactly like the real ones and open through the same reader. Both files are written atomically.
/// </summary>
public static class ManifestWriter
{
    /// <summary>Writes <paramref name="manifestPath"/> and the class file <c>manifest.ClassesFile</c> relative to its folder.</summary>
    /// <exception cref="ArgumentException">The manifest carries a label mapping (only the catalog's COCO-Object has one).</exception>
    public static void Write(BenchmarkManifest manifest, string manifestPath)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.LabelMapping is not null)
            throw new ArgumentException($"Manifest '{manifest.Key}': writing label mappings is not supported.", nameof(manifest));
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        AtomicFile.WriteText(Path.Combine(folder, manifest.ClassesFile), string.Concat(manifest.ClassNames.Select(n => n + "\n")));
        AtomicFile.WriteText(manifestPath, ToJson(manifest));
    }

    /// <summary>The manifest's JSON (indented, snake_case fields as in <c>data-manifests/</c>).</summary>
    public static string ToJson(BenchmarkManifest m)
    {
        var layout = m.Layout;
        var root = new JsonObject
        {
            ["key"] = m.Key,
            ["display_name"] = m.DisplayName,
            ["paper_name"] = m.PaperName,
            ["mmseg_type"] = m.MmsegType,
            ["download"] = new JsonArray(m.Downloads.Select(d => (JsonNode)new JsonObject { ["name"] = d.Name, ["url"] = d.Url, ["note"] = d.Note }).ToArray()),
            ["recipes"] = Strings(m.Recipes),
            ["preparation"] = Strings(m.Preparation),
            ["layout"] = new JsonObject
            {
                ["data_root"] = layout.DataRoot,
                ["img_dir"] = layout.ImageDir,
                ["img_suffix"] = layout.ImageSuffix,
                ["ann_dir"] = layout.LabelDir,
                ["seg_map_suffix"] = layout.LabelSuffix,
                ["split"] = layout.SplitFile,
                ["listing"] = layout.UsesSplitFile ? "split_file" : "scan",
            },
            ["expected_counts"] = new JsonObject { ["split"] = "val", ["images"] = m.ExpectedImages, ["labels"] = m.ExpectedLabels },
            ["classes_file"] = m.ClassesFile,
            ["num_classes"] = m.NumClasses,
            ["label_encoding"] = m.LabelEncoding,
            ["label_mapping"] = null,
            ["evaluation"] = new JsonObject
            {
                ["with_background"] = m.Evaluation.WithBackground,
                ["num_prompted"] = m.Evaluation.NumPrompted,
                ["reduce_zero_label"] = m.Evaluation.ReduceZeroLabel,
                ["ignore_index"] = m.Evaluation.IgnoreIndex,
            },
            ["conventions"] = Strings(m.Conventions),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
}
