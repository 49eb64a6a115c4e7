using System.Text.Json;
using Tcl.Evaluation.Benchmarks;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Evaluation.Benchmarks;

public class BenchmarkCatalogTests
{
    private static readonly JsonElement SpecDatasets =
        JsonDocument.Parse(File.ReadAllText(Fixtures.SpecData("eval_datasets.json"))).RootElement.GetProperty("datasets");

    public static TheoryData<string, int> ClassCounts => new()
    {
        { "voc", 21 }, { "context", 60 }, { "coco_object", 81 }, { "voc20", 20 },
        { "context59", 59 }, { "coco_stuff", 171 }, { "cityscapes", 19 }, { "ade20k", 150 },
    };

    [Fact]
    public void All_lists_the_eight_benchmarks_in_table_order()
    {
        Assert.Equal(["voc", "context", "coco_object", "voc20", "context59", "coco_stuff", "cityscapes", "ade20k"],
            BenchmarkCatalog.All.Select(m => m.Key));
    }

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Class_lists_are_the_spec_files_verbatim(string key, int count)
    {
        BenchmarkManifest manifest = BenchmarkCatalog.Get(key);
        string specFile = SpecDatasets.GetProperty(key).GetProperty("classes_file").GetString()!;
        string[] expected = File.ReadAllText(Fixtures.SpecData(specFile)).Split('\n');
        if (expected[^1].Length == 0)
            expected = expected[..^1];

        Assert.Equal(count, manifest.NumClasses);
        Assert.Equal(expected, manifest.ClassNames);
        Assert.Equal($"classes/{specFile}", manifest.ClassesFile);
    }

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Settings_match_eval_datasets_json(string key, int _)
    {
        BenchmarkManifest m = BenchmarkCatalog.Get(key);
        JsonElement spec = SpecDatasets.GetProperty(key);
        string? split = spec.GetProperty("split").ValueKind == JsonValueKind.Null ? null : spec.GetProperty("split").GetString();

        Assert.Equal(new DatasetLayout(
            spec.GetProperty("data_root").GetString()!, spec.GetProperty("img_dir").GetString()!, spec.GetProperty("img_suffix").GetString()!,
            spec.GetProperty("ann_dir").GetString()!, spec.GetProperty("seg_map_suffix").GetString()!, split), m.Layout);
        Assert.Equal(spec.GetProperty("num_images").GetInt32(), m.ExpectedImages);
        Assert.Equal(m.ExpectedImages, m.ExpectedLabels);
        Assert.Equal(spec.GetProperty("num_classes").GetInt32(), m.NumClasses);
        Assert.Equal(new BenchmarkEvaluationSettings(spec.GetProperty("with_background").GetBoolean(), spec.GetProperty("num_prompted").GetInt32(),
            spec.GetProperty("reduce_zero_label").GetBoolean(), 255), m.Evaluation);
        Assert.Equal(spec.GetProperty("paper_name").GetString(), m.PaperName);
        Assert.Equal(spec.GetProperty("mmseg_type").GetString(), m.MmsegType);
        Assert.Equal(m.Evaluation.NumPrompted, m.PromptedClassNames.Count);
        Assert.NotEmpty(m.Downloads);
        Assert.All(m.Downloads, d => Assert.StartsWith("http", d.Url));
        Assert.NotEmpty(m.Preparation);
        Assert.Equal($"data-manifests/{key}.json", m.ManifestFile);
    }

    [Fact]
    public void Background_datasets_prompt_all_but_class_zero()
    {
        BenchmarkManifest voc = BenchmarkCatalog.Get("voc");
        Assert.Equal("background", voc.ClassNames[0]);
        Assert.Equal(BenchmarkCatalog.Get("voc20").ClassNames, voc.PromptedClassNames);
        Assert.Equal(BenchmarkCatalog.Get("context59").ClassNames, BenchmarkCatalog.Get("context").PromptedClassNames);
        Assert.Equal(BenchmarkCatalog.Get("coco_stuff").ClassNames.Take(80), BenchmarkCatalog.Get("coco_object").PromptedClassNames);
        Assert.Equal("bed ", BenchmarkCatalog.Get("ade20k").ClassNames[7]);
    }

    [Fact]
    public void Context_classes_are_alphabetical_after_background()
    {
        IReadOnlyList<string> names = BenchmarkCatalog.Get("context59").ClassNames;
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public void Get_is_case_insensitive_and_unknown_keys_list_the_names()
    {
        Assert.Same(BenchmarkCatalog.Get("ade20k"), BenchmarkCatalog.Get("ADE20K"));
        Assert.True(BenchmarkCatalog.TryGet("Voc20", out BenchmarkManifest? voc20));
        Assert.Equal("voc20", voc20!.Key);

        var error = Assert.Throws<ArgumentException>(() => BenchmarkCatalog.Get("kitti"));
        Assert.Contains("'kitti'", error.Message);
        foreach (string key in BenchmarkCatalog.Keys)
            Assert.Contains(key, error.Message);
    }

    [Fact]
    public void Only_coco_object_carries_the_label_mapping()
    {
        Assert.All(BenchmarkCatalog.All.Where(m => m.Key != "coco_object"), m => Assert.Null(m.LabelMapping));
        LabelMapping mapping = BenchmarkCatalog.Get("coco_object").LabelMapping!;
        Assert.Equal(172, mapping.Map.Count);
        Assert.Equal(80, mapping.Map.Values.Count(v => v > 0));
        Assert.Equal(Enumerable.Range(1, 80), mapping.Map.Values.Where(v => v > 0).Order());
    }

    [Fact]
    public void The_repository_manifests_read_from_disk_equal_the_embedded_ones()
    {
        string folder = RepositoryManifestFolder();
        foreach (BenchmarkManifest embedded in BenchmarkCatalog.All)
        {
            BenchmarkManifest onDisk = ManifestReader.ReadFile(Path.Combine(folder, $"{embedded.Key}.json"));
            Assert.Equal(embedded.Layout, onDisk.Layout);
            Assert.Equal(embedded.ClassNames, onDisk.ClassNames);
            Assert.Equal(embedded.Evaluation, onDisk.Evaluation);
        }
    }

    private static string RepositoryManifestFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data-manifests");
            if (File.Exists(Path.Combine(candidate, "voc.json")))
                return candidate;
        }
        throw new DirectoryNotFoundException("data-manifests/ not found above the test output folder.");
    }
}
