using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// Parses a manifest JSON and the files it refers to (class list, label mapping) into a <see cref="BenchmarkManifest"/>.
/// The referenced files are opened through a callback so that the same code reads the copies embedded in the
/// assembly and an edited <c>data-manifests/</c> folder on disk.
/// </summary>
public static class ManifestReader
{
    /// <summary>Reads a manifest from disk; <c>classes_file</c> and <c>label_mapping.file</c> are resolved next to it.</summary>
    /// <param name="manifestPath">Path of e.g. <c>data-manifests/voc.json</c>.</param>
    public static BenchmarkManifest ReadFile(string manifestPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        using FileStream stream = File.OpenRead(manifestPath);
        return Read(stream, relative => File.OpenRead(Path.Combine(folder, relative)));
    }

    /// <summary>Reads a manifest.</summary>
    /// <param name="json">The manifest's bytes (UTF-8).</param>
    /// <param name="openRelative">Opens a file named relative to the manifest folder (e.g. <c>classes/classes_voc21.txt</c>).</param>
    /// <exception cref="InvalidDataException">A field is missing or has the wrong type, or the class count disagrees with <c>num_classes</c>.</exception>
    public static BenchmarkManifest Read(Stream json, Func<string, Stream> openRelative)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        string key = Str(root, "key");
        string classesFile = Str(root, "classes_file");
        IReadOnlyList<string> classNames;
        using (Stream classes = openRelative(classesFile))
            classNames = ReadClassNames(classes);
        int numClasses = Int(root, "num_classes");
        if (classNames.Count != numClasses)
            throw new InvalidDataException($"Manifest '{key}': {classesFile} has {classNames.Count} names but num_classes is {numClasses}.");

        JsonElement layout = Field(root, "layout");
        JsonElement counts = Field(root, "expected_counts");
        JsonElement evaluation = Field(root, "evaluation");
        JsonElement mapping = Field(root, "label_mapping");
        return new BenchmarkManifest(
            Key: key,
            DisplayName: Str(root, "display_name"),
            PaperName: Str(root, "paper_name"),
            MmsegType: Str(root, "mmseg_type"),
            Downloads: Field(root, "download").EnumerateArray()
                .Select(d => new DownloadSource(Str(d, "name"), Str(d, "url"), Str(d, "note"))).ToArray(),
            Recipes: Strings(root, "recipes"),
            Preparation: Strings(root, "preparation"),
            Layout: new DatasetLayout(
                DataRoot: Str(layout, "data_root"),
                ImageDir: Str(layout, "img_dir"),
                ImageSuffix: Str(layout, "img_suffix"),
                LabelDir: Str(layout, "ann_dir"),
                LabelSuffix: Str(layout, "seg_map_suffix"),
                SplitFile: Field(layout, "split").ValueKind == JsonValueKind.Null ? null : Str(layout, "split")),
            ExpectedImages: Int(counts, "images"),
            ExpectedLabels: Int(counts, "labels"),
            ClassesFile: classesFile,
            ClassNames: classNames,
            LabelEncoding: Str(root, "label_encoding"),
            LabelMapping: mapping.ValueKind == JsonValueKind.Null ? null : ReadMapping(mapping, openRelative),
            Evaluation: new BenchmarkEvaluationSettings(
                WithBackground: Field(evaluation, "with_background").GetBoolean(),
                NumPrompted: Int(evaluation, "num_prompted"),
                ReduceZeroLabel: Field(evaluation, "reduce_zero_label").GetBoolean(),
                IgnoreIndex: Int(evaluation, "ignore_index")),
            Conventions: Strings(root, "conventions"));
    }

    /// <summary>
    /// Reads a class-name file: one name per line in label order, kept verbatim (ADE20K's <c>bed </c> keeps its
    /// trailing space); only line breaks are removed.
    /// </summary>
    /// <param name="stream">The file's bytes (UTF-8).</param>
    public static IReadOnlyList<string> ReadClassNames(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var names = new List<string>();
        while (reader.ReadLine() is { } line)
            names.Add(line);
        while (names.Count > 0 && names[^1].Length == 0)
            names.RemoveAt(names.Count - 1);
        return names;
    }

    private static LabelMapping ReadMapping(JsonElement mapping, Func<string, Stream> openRelative)
    {
        string file = Str(mapping, "file");
        using Stream stream = openRelative(file);
        using JsonDocument table = JsonDocument.Parse(stream);
        var map = new Dictionary<int, int>();
        foreach (JsonProperty entry in Field(table.RootElement, "mapping").EnumerateObject())
            map[int.Parse(entry.Name, CultureInfo.InvariantCulture)] = entry.Value.GetInt32();
        return new LabelMapping(file, Str(mapping, "from"), Str(mapping, "to"), map, Int(mapping, "unlisted_values"));
    }

    private static JsonElement Field(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value)
            ? value
            : throw new InvalidDataException($"Manifest field '{name}' is missing.");

    private static string Str(JsonElement element, string name) =>
        Field(element, name).GetString() ?? throw new InvalidDataException($"Manifest field '{name}' is null.");

    private static int Int(JsonElement element, string name) => Field(element, name).GetInt32();

    private static string[] Strings(JsonElement element, string name) =>
        Field(element, name).EnumerateArray().Select(e => e.GetString() ?? "").ToArray();
}
