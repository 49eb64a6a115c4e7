using System.Formats.Tar;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data;
using Xunit;

namespace Tcl.Tests.Data;

/// <summary>Reading webdataset shards in img2dataset's layout: round trip with the writer, broken samples and files,
/// streaming, the seeded shard order.</summary>
public class WebDatasetShardsTests
{
    [Fact]
    public void Png_round_trip_gives_keys_captions_and_exact_pixels_in_shard_order()
    {
        using var dir = new TempDir();
        var paths = DataTestKit.WriteShards(dir.Path, shards: 2, perShard: 5);
        var (records, counters) = DataTestKit.ReadAll(new WebDatasetShards(paths, shuffleShards: false));

        Assert.Equal(10, records.Count);
        Assert.Equal(0, counters.Skipped);
        for (int n = 0; n < 10; n++)
        {
            Assert.Equal($"{n / 5:D5}{n % 5:D4}", records[n].Key);
            Assert.Equal(DataTestKit.Caption(n), records[n].Caption);
            using var decoded = records[n].DecodeImage();
            using var expected = DataTestKit.Picture(n);
            Assert.True(DataTestKit.SamePixels(expected, decoded), $"pixels of {records[n].Key}");
        }
    }

    [Fact]
    public void Jpeg_round_trip_is_close()
    {
        using var dir = new TempDir();
        var paths = DataTestKit.WriteShards(dir.Path, shards: 1, perShard: 4, kind: ImageKind.Jpeg, size: 32);
        var (records, _) = DataTestKit.ReadAll(new WebDatasetShards(paths));

        Assert.Equal(4, records.Count);
        for (int n = 0; n < 4; n++)
        {
            using var decoded = records[n].DecodeImage();
            using var expected = DataTestKit.Picture(n, 32);
            Assert.Equal((32, 32), (decoded.Width, decoded.Height));
            Assert.InRange(DataTestKit.MeanAbsDifference(expected, decoded), 0, 10);
        }
    }

    [Fact]
    public void Alternative_extensions_json_and_unrelated_entries_are_handled_like_webdataset()
    {
        using var dir = new TempDir();
        string path = dir.File("mixed.tar");
        using (var writer = new WebDatasetWriter(path))
        {
            using var picture = DataTestKit.Picture(3);
            using var png = new MemoryStream();
            picture.SaveAsPng(png);
            writer.AddEntry("a/000001.JPEG", png.ToArray()); // ImageSharp detects the format from the bytes
            writer.AddEntry("a/000001.text", "caption in .text"u8.ToArray());
            writer.AddEntry("a/000001.json", "{\"status\":\"success\"}"u8.ToArray());
            writer.AddEntry("README", "no extension: not part of a sample"u8.ToArray());
            writer.AddEntry("000002.seg.png", png.ToArray()); // extension "seg.png" is not an image part
            writer.AddEntry("000002.txt", "only a segmentation"u8.ToArray());
            writer.Complete();
        }
        var (records, counters) = DataTestKit.ReadAll(new WebDatasetShards([path]));

        var record = Assert.Single(records);
        Assert.Equal("a/000001", record.Key);
        Assert.Equal("caption in .text", record.Caption);
        using (var image = record.DecodeImage()) Assert.Equal(16, image.Width);
        Assert.Equal(1, counters.SkippedMissingImage); // 000002
    }

    [Fact]
    public void Samples_without_caption_or_image_are_counted_not_yielded_and_corrupt_bytes_fail_only_on_decode()
    {
        using var dir = new TempDir();
        string path = dir.File("broken.tar");
        using (var writer = new WebDatasetWriter(path))
        {
            using var picture = DataTestKit.Picture(0);
            writer.Add("000000", picture, "good");
            writer.AddRaw("000001", "jpg", [1, 2, 3], caption: null);           // no .txt
            writer.AddRaw("000002", "jpg", [1, 2, 3], caption: "  \n");          // empty caption
            writer.AddRaw("000003", "jpg", imageBytes: null, caption: "no image");
            writer.AddRaw("000004", "jpg", [0xFF, 0xD8, 0xFF, 0x00, 0x11], caption: "corrupt jpeg");
            writer.Complete();
        }
        var (records, counters) = DataTestKit.ReadAll(new WebDatasetShards([path]));

        Assert.Equal(["000000", "000004"], records.Select(r => r.Key));
        Assert.Equal(2, counters.SkippedMissingCaption);
        Assert.Equal(1, counters.SkippedMissingImage);
        Assert.Equal(0, counters.SkippedCorruptImage); // not decoded by the dataset: that is the loader's business
        Assert.ThrowsAny<ImageFormatException>(() => records[1].DecodeImage());
    }

    [Fact]
    public void Missing_shard_names_the_file()
    {
        using var dir = new TempDir();
        var paths = DataTestKit.WriteShards(dir.Path, shards: 1, perShard: 1);
        string missing = dir.File("gcc-train-000007.tar");

        var e = Assert.Throws<FileNotFoundException>(() => new WebDatasetShards([paths[0], missing]));
        Assert.Contains(missing, e.Message);
        Assert.Contains("img2dataset", e.Message);
        Assert.Equal(missing, e.FileName);

        var pattern = Assert.Throws<FileNotFoundException>(() => WebDatasetShards.FromPattern(dir.File("gcc-train-{000006..000008}.tar")));
        Assert.Contains("3 of 3", pattern.Message);
        Assert.Contains(dir.File("gcc-train-000006.tar"), pattern.Message);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(3000)]
    [InlineData(0)]
    public void A_file_that_is_not_a_tar_is_skipped_counted_and_named_in_a_warning(int length)
    {
        using var dir = new TempDir();
        string path = dir.File("notes.tar");
        File.WriteAllBytes(path, Enumerable.Range(0, length).Select(i => (byte)('a' + i % 26)).ToArray());

        var (records, counters) = DataTestKit.ReadAll(new WebDatasetShards([path]));
        Assert.Empty(records);
        Assert.Equal(1, counters.UnreadableShards);
        var warning = Assert.Single(counters.TakeWarnings());
        Assert.Equal(path, warning.Path);
        Assert.Contains(path, warning.Message);
        Assert.Contains(length == 0 ? "empty file" : "not a tar", warning.Message);
        Assert.Contains("img2dataset", warning.Message);
    }

    [Fact]
    public void A_truncated_shard_yields_its_complete_samples_counts_the_cut_and_reading_goes_on()
    {
        using var dir = new TempDir();
        var paths = DataTestKit.WriteShards(dir.Path, shards: 2, perShard: 10);
        long full = new FileInfo(paths[0]).Length;
        using (var f = new FileStream(paths[0], FileMode.Open)) f.SetLength(full * 6 / 10 + 100); // inside an entry

        var (records, counters) = DataTestKit.ReadAll(new WebDatasetShards(paths, shuffleShards: false));

        int fromFirst = records.Count(r => r.Key.StartsWith("00000", StringComparison.Ordinal));
        Assert.InRange(fromFirst, 3, 7);
        Assert.Equal(10, records.Count - fromFirst);
        Assert.Equal(1, counters.TruncatedShards);
        Assert.Contains("1 truncated shard", counters.ToString());
        foreach (var r in records)
            using (r.DecodeImage()) { } // every yielded sample is complete
    }

    [Fact]
    public void A_shard_cut_anywhere_never_throws_and_yields_only_complete_samples()
    {
        using var dir = new TempDir();
        var paths = DataTestKit.WriteShards(dir.Path, shards: 1, perShard: 6);
        byte[] bytes = File.ReadAllBytes(paths[0]);
        int previous = 0;
        for (int cut = 512; cut <= bytes.Length; cut += 131)
        {
            var counters = new DataCounters();
            var records = WebDatasetShards.ReadShard(new MemoryStream(bytes, 0, cut), $"cut at {cut}", counters).ToList();
            Assert.InRange(records.Count, previous, 6);
            previous = records.Count;
            foreach (var r in records)
                using (r.DecodeImage()) { }
        }
        Assert.InRange(previous, 5, 6); // near the end only the last sample (or just the end blocks) is lost
    }

    [Fact]
    public void Reading_streams_a_non_seekable_input_and_yields_before_reading_the_rest()
    {
        using var dir = new TempDir();
        var paths = DataTestKit.WriteShards(dir.Path, shards: 1, perShard: 40);
        byte[] bytes = File.ReadAllBytes(paths[0]);
        var stream = new CountingStream(new MemoryStream(bytes));

        using var records = WebDatasetShards.ReadShard(stream, "memory", new DataCounters()).GetEnumerator();
        Assert.True(records.MoveNext());
        Assert.Equal("000000000", records.Current.Key);
        Assert.InRange(stream.BytesRead, 1, bytes.Length / 8); // about two samples of forty
        int count = 1;
        while (records.MoveNext()) count++;
        Assert.Equal(40, count);
    }

    [Fact]
    public void Shard_order_is_a_seeded_permutation_per_epoch()
    {
        using var dir = new TempDir();
        var paths = DataTestKit.WriteShards(dir.Path, shards: 12, perShard: 1);
        var a = new WebDatasetShards(paths, seed: 5);
        var b = new WebDatasetShards(paths, seed: 5);
        var c = new WebDatasetShards(paths, seed: 6);

        Assert.Equal(a.ShardOrder(0), b.ShardOrder(0));
        Assert.Equal(a.ShardOrder(3), b.ShardOrder(3));
        Assert.NotEqual(a.ShardOrder(0), a.ShardOrder(1));
        Assert.NotEqual(a.ShardOrder(0), c.ShardOrder(0));
        Assert.Equal(paths.Order(), a.ShardOrder(2).Order());
        Assert.Equal(paths, new WebDatasetShards(paths, shuffleShards: false).ShardOrder(4));
        // ReadEpoch follows ShardOrder
        var keys = DataTestKit.ReadAll(a, epoch: 1).Records.Select(r => r.Key[..5]).ToList();
        Assert.Equal(a.ShardOrder(1).Select(p => Path.GetFileNameWithoutExtension(p)[^5..]), keys);
    }

    [Fact]
    public void Writer_is_atomic_and_deterministic()
    {
        using var dir = new TempDir();
        string path = dir.File("out/000000.tar");
        using (var writer = new WebDatasetWriter(path))
        {
            using var picture = DataTestKit.Picture(1);
            writer.Add("000000", picture, "x", ImageKind.Png);
            Assert.False(File.Exists(path)); // not visible before Complete
        } // disposed without Complete: discarded
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(dir.File("out")));

        byte[] Write()
        {
            using var writer = new WebDatasetWriter(path);
            using var picture = DataTestKit.Picture(1);
            writer.Add("000000", picture, "x", ImageKind.Png);
            writer.Complete();
            return File.ReadAllBytes(path);
        }
        Assert.Equal(Write(), Write());
        Assert.Single(Directory.GetFiles(dir.File("out")));

        // a standard tar: the BCL reader sees the three entries of img2dataset's layout
        using var reader = new TarReader(File.OpenRead(path));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        Assert.Equal(["000000.png", "000000.txt", "000000.json"], names);
    }
}
