using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data;
using Tcl.Data.Synthetic;
using Tcl.Evaluation.Benchmarks;
using Tcl.IO;
using Xunit;

namespace Tcl.Tests.Data.Synthetic;

/// <summary>The synthetic world in real on-disk formats: webdataset shards and VOC-style folders.</summary>
public class SyntheticWritersTests
{
    [Fact]
    public void Shards_round_trip_through_WebDatasetShards_with_exact_pixels()
    {
        using var dir = new TempDir();
        var config = SyntheticWorldConfig.Default;
        var progress = new List<int>();
        var paths = SyntheticShards.Write(dir.Path, config, count: 23, shardSize: 10, progress: new SyncProgress(progress));
        Assert.Equal(3, paths.Count);
        Assert.Equal([10, 20, 23], progress);
        var (records, counters) = DataTestKit.ReadAll(new WebDatasetShards(paths, shuffleShards: false));
        Assert.Equal(23, records.Count);
        Assert.Equal(0, counters.Skipped);
        var generator = new SyntheticGenerator(config);
        for (int i = 0; i < 23; i++)
        {
            var scene = generator.Generate(i);
            Assert.Equal($"{i:D9}", records[i].Key);
            Assert.Equal(CaptionWriter.Write(scene), records[i].Caption);
            using var decoded = records[i].DecodeImage();
            using var expected = scene.ToImage();
            Assert.True(DataTestKit.SamePixels(expected, decoded), $"pixels of {records[i].Key}");
        }
        // Same config, same bytes.
        using var dir2 = new TempDir();
        var again = SyntheticShards.Write(dir2.Path, config, count: 23, shardSize: 10);
        Assert.Equal(File.ReadAllBytes(paths[1]), File.ReadAllBytes(again[1]));
    }

    [Fact]
    public void Objects_benchmark_is_readable_by_the_benchmark_reader_and_labels_decode()
    {
        using var dir = new TempDir();
        var config = SyntheticWorldConfig.Default;
        var layout = SyntheticBenchmark.Write(dir.Path, SyntheticBenchmarkKind.Objects, config, count: 12, jpeg: true);
        Assert.Equal(config.ObjectClassNames, layout.ClassNames);
        Assert.Equal(12, config.ObjectClassNames.Count);

        var manifest = ManifestReader.ReadFile(layout.ManifestPath);
        Assert.Equal(ManifestWriter.ToJson(layout.Manifest), ManifestWriter.ToJson(manifest));
        Assert.True(manifest.Evaluation.WithBackground);
        Assert.Equal(11, manifest.PromptedClassNames.Count);
        var dataset = SegmentationDataset.Open(manifest, dir.Path);
        Assert.True(dataset.Verify().IsComplete);
        var samples = dataset.Samples();
        Assert.Equal(layout.Ids, samples.Select(s => s.Id).ToArray());
        var generator = new SyntheticGenerator(config);
        for (int i = 0; i < samples.Count; i++)
        {
            var scene = generator.Generate(i, SyntheticSplit.Test);
            var label = LabelPng.Read(samples[i].LabelPath);
            Assert.Equal((scene.Size, scene.Size), (label.Width, label.Height));
            Assert.Equal(scene.ObjectClassMap, label.Pixels);
            using var image = Image.Load<Rgb24>(samples[i].ImagePath);
            using var expected = scene.ToImage();
            Assert.InRange(DataTestKit.MeanAbsDifference(expected, image), 0, 12); // JPEG
        }
        Assert.Equal(config.ObjectClassNames, File.ReadAllLines(Path.Combine(layout.DatasetRoot, "classes.txt")));
    }

    private sealed class SyncProgress(List<int> sink) : IProgress<int>
    {
        public void Report(int value) => sink.Add(value);
    }
}
