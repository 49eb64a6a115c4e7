using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Clip;
using Tcl.Data;
using Xunit;

namespace Tcl.Tests.Data;

/// <summary>
/// One bad sample or one bad file never ends a run (issue 12 §2): a JPEG whose valid header is followed by garbage
/// (ImageSharp throws <see cref="NullReferenceException"/> on it), a half JPEG that decodes to grey, a shard that is not
/// a tar and an empty shard are skipped, counted and named in a warning; only data without any usable sample fails,
/// with an error that says so.
/// </summary>
public sealed class BadShardDataTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Jpeg(int seed)
    {
        using var picture = DataTestKit.Picture(seed, 64);
        var stream = new MemoryStream();
        picture.SaveAsJpeg(stream, new JpegEncoder { Quality = 90 });
        return stream.ToArray();
    }

    /// <summary>SOI + APP0 (JFIF) of a real JPEG, then 1,200 random bytes: a combination on which ImageSharp 2.1 throws a NullReferenceException.</summary>
    private static byte[] GarbageBodyJpeg()
    {
        var tail = new byte[1200];
        new Random(4).NextBytes(tail);
        return [.. Jpeg(3).AsSpan(0, 20), .. tail];
    }

    private string Shard(string name, params (string Key, byte[] Jpeg)[] samples)
    {
        var path = _dir.File(name);
        using var writer = new WebDatasetWriter(path);
        foreach (var (key, jpeg) in samples) writer.AddRaw(key, "jpg", jpeg, $"caption of {key}");
        writer.Complete();
        return path;
    }

    private static ImageTextLoader Open(IEnumerable<string> shards, int batch = 2, int prefetch = 0) =>
        new(new WebDatasetShards(shards, shuffleShards: false), DataTestKit.Transform(), ClipTokenizer.Default,
            new ImageTextLoaderConfig(BatchSize: batch, ShuffleBuffer: 0, Seed: 0, Prefetch: prefetch));

    private static List<string> Keys(ImageTextLoader loader, int batches)
    {
        var keys = new List<string>();
        for (int i = 0; i < batches; i++)
            using (var batch = loader.Next())
                keys.AddRange(batch.Keys);
        return keys;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_jpeg_with_a_valid_header_and_a_garbage_body_is_skipped_counted_and_named(int prefetch)
    {
        var garbage = GarbageBodyJpeg();
        Assert.Throws<NullReferenceException>(() => Image.Load<Rgb24>(garbage));   // what made the run die
        // Enough good samples after it that prefetching (2 batches ahead) stays inside the first epoch.
        var shard = Shard("garbage.tar", [("a", Jpeg(0)), ("b", garbage), ("c", Jpeg(1)), ("d", Jpeg(2)), ("e", Jpeg(4)),
            .. Enumerable.Range(5, 8).Select(i => ($"f{i}", Jpeg(i)))]);

        using var loader = Open([shard], prefetch: prefetch);
        Assert.Equal(["a", "c", "d", "e"], Keys(loader, 2));
        Assert.Equal(1, loader.Counters.SkippedCorruptImage);
        Assert.Equal(1, loader.Counters.Skipped);
        var warning = Assert.Single(loader.Counters.TakeWarnings());
        Assert.Contains(shard, warning.Message);
        Assert.Contains("'b'", warning.Message);
        Assert.Contains("NullReferenceException", warning.Message);
    }

    [Fact]
    public void A_half_jpeg_that_decodes_to_grey_is_skipped_and_counted_as_truncated()
    {
        var whole = Jpeg(5);
        var half = whole[..(whole.Length * 3 / 4)];
        using (var grey = Image.Load<Rgb24>(half)) { }   // ImageSharp accepts it and paints the rest grey
        var shard = Shard("half.tar", ("a", Jpeg(0)), ("half", half), ("c", Jpeg(1)));

        using var loader = Open([shard]);
        Assert.Equal(["a", "c"], Keys(loader, 1));
        Assert.Equal(1, loader.Counters.SkippedTruncatedImage);
        Assert.Equal(0, loader.Counters.SkippedCorruptImage);
        Assert.Contains("1 truncated image", loader.Counters.ToString());
        Assert.Contains("ends before its image data", Assert.Single(loader.Counters.TakeWarnings()).Message);
        Assert.False(ImageBytes.IsTruncated(whole, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_file_that_is_not_a_tar_and_an_empty_file_among_good_shards_are_skipped_with_a_warning_naming_them(int prefetch)
    {
        var good = Shard("good.tar", ("a", Jpeg(0)), ("b", Jpeg(1)), ("c", Jpeg(2)), ("d", Jpeg(3)));
        var notTar = _dir.File("notes.tar");
        File.WriteAllText(notTar, new string('x', 3000));
        var empty = _dir.File("empty.tar");
        File.WriteAllBytes(empty, []);

        using var loader = Open([notTar, good, empty], prefetch: prefetch);
        Assert.Equal(["a", "b", "c", "d", "a", "b", "c", "d"], Keys(loader, 4));   // two epochs
        Assert.True(loader.Counters.UnreadableShards >= 2, loader.Counters.ToString());
        var warnings = loader.Counters.TakeWarnings();
        Assert.Equal(2, warnings.Count);   // once per file, not once per epoch
        Assert.Contains(warnings, w => w.Path == notTar && w.Message.Contains("not a tar archive") && w.Message.Contains(notTar));
        Assert.Contains(warnings, w => w.Path == empty && w.Message.Contains("empty file") && w.Message.Contains(empty));
    }

    [Fact]
    public void Data_in_which_no_shard_yields_a_sample_is_a_clear_error()
    {
        var notTar = _dir.File("a.tar");
        File.WriteAllText(notTar, new string('x', 3000));
        var empty = _dir.File("b.tar");
        File.WriteAllBytes(empty, []);

        using var loader = Open([notTar, empty]);
        var e = Assert.Throws<NoTrainingDataException>(() => loader.Next());
        Assert.Contains("No shard yielded a single sample", e.Message);
        Assert.Contains("2 unreadable shard(s)", e.Message);
        Assert.Equal(2, loader.Counters.TakeWarnings().Count);
    }
}
