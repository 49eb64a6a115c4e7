using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Clip;
using Tcl.Data;
using Tcl.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Data;

/// <summary>The loader's stream: batches, shuffle determinism, epoch flow, skips, resuming, prefetching, failures.</summary>
public class ImageTextLoaderTests
{
    private static ImageTextLoader Open(IImageTextDataset dataset, int batch = 4, int buffer = 8, int seed = 0, int prefetch = 0,
        DataCursor? start = null, Func<Image<Rgb24>, Random, Tensor>? transform = null) =>
        new(dataset, transform ?? DataTestKit.Transform(), ClipTokenizer.Default,
            new ImageTextLoaderConfig(BatchSize: batch, ShuffleBuffer: buffer, Seed: seed, Prefetch: prefetch), start);

    /// <summary>The next <paramref name="count"/> batches as (keys, captions, image bytes, tokens), with the cursor after each.</summary>
    private static List<(string[] Keys, string[] Captions, Tensor Images, Tensor Tokens, DataCursor After)> Take(ImageTextLoader loader, int count)
    {
        var result = new List<(string[], string[], Tensor, Tensor, DataCursor)>();
        for (int i = 0; i < count; i++)
        {
            var b = loader.Next();
            result.Add((b.Keys.ToArray(), b.Captions.ToArray(), b.Images, b.Tokens, loader.Position));
        }
        return result;
    }

    private static void AssertSameBatches(
        IReadOnlyList<(string[] Keys, string[] Captions, Tensor Images, Tensor Tokens, DataCursor After)> expected,
        IReadOnlyList<(string[] Keys, string[] Captions, Tensor Images, Tensor Tokens, DataCursor After)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Keys, actual[i].Keys);
            Assert.Equal(expected[i].Captions, actual[i].Captions);
            Assert.True(BitwiseTensors.Identical(expected[i].Images, actual[i].Images), $"images of batch {i}");
            Assert.True(BitwiseTensors.Identical(expected[i].Tokens, actual[i].Tokens), $"tokens of batch {i}");
            Assert.Equal(expected[i].After, actual[i].After);
        }
    }

    [Fact]
    public void Batches_have_the_contract_shapes_and_tokenised_captions()
    {
        using var loader = Open(DataTestKit.Pairs(10), batch: 4);
        using var batch = loader.Next();

        Assert.Equal(new long[] { 4, 3, 16, 16 }, batch.Images.shape);
        Assert.Equal(ScalarType.Float32, batch.Images.dtype);
        Assert.Equal(new long[] { 4, 77 }, batch.Tokens.shape);
        Assert.Equal(ScalarType.Int64, batch.Tokens.dtype);
        using var expected = ClipTokenizer.Default.Tokenize(batch.Captions);
        Assert.True(BitwiseTensors.Identical(expected, batch.Tokens));
        Assert.Equal(4, loader.Counters.Read);
        Assert.Equal(new DataCursor(0, 4), loader.Position);
    }

    [Fact]
    public void Shuffle_is_deterministic_by_seed_and_each_epoch_is_a_permutation_flowing_into_the_next()
    {
        List<string> Keys(int seed, int batches)
        {
            using var loader = Open(DataTestKit.Pairs(10), batch: 4, buffer: 5, seed: seed);
            var keys = new List<string>();
            for (int i = 0; i < batches; i++)
                using (var b = loader.Next()) keys.AddRange(b.Keys);
            return keys;
        }
        var a = Keys(1, 5);
        Assert.Equal(a, Keys(1, 5));
        Assert.NotEqual(a, Keys(2, 5));
        var all = Enumerable.Range(0, 10).Select(i => $"k{i:D4}").ToList();
        Assert.Equal(all, a.Take(10).Order());       // epoch 0
        Assert.Equal(all, a.Skip(10).Take(10).Order()); // epoch 1
        Assert.NotEqual(a.Take(10), a.Skip(10).Take(10)); // reshuffled per epoch
        Assert.NotEqual(all, a.Take(10));
    }

    [Fact]
    public void A_batch_spans_the_epoch_boundary_and_the_cursor_follows()
    {
        using var loader = Open(DataTestKit.Pairs(10), batch: 4);
        Take(loader, 2).ForEach(b => { b.Images.Dispose(); b.Tokens.Dispose(); });
        Assert.Equal(new DataCursor(0, 8), loader.Position);
        using (loader.Next()) Assert.Equal(new DataCursor(1, 2), loader.Position); // 2 of epoch 0 + 2 of epoch 1
    }

    [Fact]
    public void Corrupt_images_and_broken_samples_are_skipped_counted_and_advance_the_cursor()
    {
        using var dir = new TempDir();
        string path = dir.File("s.tar");
        using (var writer = new WebDatasetWriter(path))
        {
            for (int i = 0; i < 6; i++)
                using (var p = DataTestKit.Picture(i)) writer.Add($"{i:D6}", p, DataTestKit.Caption(i), ImageKind.Png);
            writer.AddRaw("000006", "jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0], "corrupt");
            writer.AddRaw("000007", "png", [1, 2, 3], caption: null);
            writer.AddRaw("000008", "png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], "truncated png");
            writer.Complete();
        }
        using var loader = Open(new WebDatasetShards([path]), batch: 6, buffer: 1);
        using var batch = loader.Next();

        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"{i:D6}"), batch.Keys);
        using (var second = loader.Next()) // the two corrupt records are consumed, then epoch 1 begins
            Assert.Equal(new DataCursor(1, 6), loader.Position);
        Assert.Equal(2, loader.Counters.SkippedCorruptImage);
        Assert.Equal(1, loader.Counters.SkippedMissingCaption);
        Assert.Equal(12, loader.Counters.Read);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_loader_opened_at_a_cursor_continues_exactly(int prefetch)
    {
        var data = DataTestKit.Pairs(14, corrupt: [3, 9]);
        const int total = 9;
        using var reference = Open(data, batch: 5, buffer: 6, seed: 3, prefetch: prefetch);
        var expected = Take(reference, total);
        try
        {
            foreach (int k in new[] { 1, 2, 5 }) // 5 batches = 25 records: past epoch 1's start
            {
                using var resumed = Open(data, batch: 5, buffer: 6, seed: 3, prefetch: prefetch, start: expected[k - 1].After);
                var actual = Take(resumed, total - k);
                AssertSameBatches(expected.Skip(k).ToList(), actual);
                actual.ForEach(b => { b.Images.Dispose(); b.Tokens.Dispose(); });
            }
        }
        finally
        {
            expected.ForEach(b => { b.Images.Dispose(); b.Tokens.Dispose(); });
        }
    }

    [Fact]
    public void Resuming_over_shuffled_webdataset_shards_continues_exactly()
    {
        using var dir = new TempDir();
        var shards = new WebDatasetShards(DataTestKit.WriteShards(dir.Path, shards: 4, perShard: 4), seed: 11);
        using var reference = Open(shards, batch: 3, buffer: 5, seed: 2, prefetch: 1);
        var expected = Take(reference, 8); // 24 records: into epoch 1, whose shard order differs
        using var resumed = Open(shards, batch: 3, buffer: 5, seed: 2, prefetch: 1, start: expected[4].After);
        var actual = Take(resumed, 3);
        AssertSameBatches(expected.Skip(5).ToList(), actual);
        foreach (var x in expected.Concat(actual)) { x.Images.Dispose(); x.Tokens.Dispose(); }
    }

    [Fact]
    public void Resuming_does_not_count_the_replayed_prefix_again()
    {
        var data = DataTestKit.Pairs(12, corrupt: [0, 1]);
        using var resumed = Open(data, batch: 2, buffer: 1, start: new DataCursor(0, 4));
        using (resumed.Next()) { }
        Assert.Equal(0, resumed.Counters.SkippedCorruptImage);
        Assert.Equal(2, resumed.Counters.Read);
    }

    [Fact]
    public void Prefetching_gives_the_same_batches_as_synchronous_loading()
    {
        var data = DataTestKit.Pairs(11, corrupt: [4]);
        using var sync = Open(data, batch: 3, buffer: 4, seed: 7, prefetch: 0);
        using var ahead = Open(data, batch: 3, buffer: 4, seed: 7, prefetch: 3);
        var a = Take(sync, 8);
        var b = Take(ahead, 8);
        AssertSameBatches(a, b);
        foreach (var x in a.Concat(b)) { x.Images.Dispose(); x.Tokens.Dispose(); }
        Assert.Equal(sync.Counters.Read, ahead.Counters.Read);
    }

    [Fact]
    public void Batches_survive_the_callers_dispose_scope()
    {
        using var loader = Open(DataTestKit.Pairs(8), batch: 2, prefetch: 1);
        ImageTextBatch batch;
        using (NewDisposeScope())
            batch = loader.Next();
        Assert.False(batch.Images.IsInvalid); // built in the loader's own scope and detached: the caller owns it
        Assert.Equal(2, batch.Images.shape[0]);
        batch.Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void An_empty_or_all_corrupt_dataset_throws_instead_of_looping(int prefetch)
    {
        using var empty = Open(new InMemoryImageTextDataset([new("k", "", () => DataTestKit.Picture(0))]), prefetch: prefetch);
        var e = Assert.Throws<NoTrainingDataException>(() => empty.Next());
        Assert.Contains("yielded a single sample", e.Message);
        Assert.Throws<NoTrainingDataException>(() => empty.Next()); // and stays failed

        using var corrupt = Open(DataTestKit.Pairs(3, corrupt: [0, 1, 2]), prefetch: prefetch);
        var c = Assert.Throws<NoTrainingDataException>(() => corrupt.Next());
        Assert.Contains("Every record of epoch 0 was skipped", c.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Errors_after_decoding_surface_on_Next(int prefetch)
    {
        using var badTransform = Open(DataTestKit.Pairs(4), prefetch: prefetch, transform: (_, _) => zeros(1, 8, 8));
        Assert.Contains("expected float32 [3, S, S]", Assert.Throws<InvalidOperationException>(() => badTransform.Next()).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_decoder_exception_of_any_type_is_a_skipped_and_counted_sample(int prefetch)
    {
        // ImageSharp throws NullReferenceException (and IndexOutOfRangeException) on some JPEGs with a valid header
        // and a garbage body: that is a bad sample, not the end of the run. Twelve records, so that prefetching (2
        // batches ahead, counting as it goes) stays inside the first epoch and counts each bad one once.
        var data = new InMemoryImageTextDataset(Enumerable.Range(0, 12).Select(i =>
            new InMemoryImageTextDataset.Pair($"k{i}", "c", i switch
            {
                3 => () => throw new NullReferenceException("inside the JPEG decoder"),
                4 => () => throw new IndexOutOfRangeException("inside the JPEG decoder"),
                _ => () => DataTestKit.Picture(i),
            })));
        using var loader = Open(data, batch: 2, buffer: 1, prefetch: prefetch);
        var keys = new List<string>();
        for (int b = 0; b < 2; b++)
            using (var batch = loader.Next())
                keys.AddRange(batch.Keys);
        Assert.Equal(["k0", "k1", "k2", "k5"], keys);
        Assert.Equal(2, loader.Counters.SkippedCorruptImage);
    }

    [Fact]
    public void Dispose_stops_the_producer_and_closes_the_dataset()
    {
        var probe = new ProbeDataset(DataTestKit.Pairs(50));
        var loader = Open(probe, batch: 2, buffer: 2, prefetch: 2);
        using (loader.Next()) { }
        loader.Dispose();

        Assert.Equal(1, probe.Closed); // the epoch's enumerator was disposed on the producer thread, which has been joined
        long pulled = probe.Pulled;
        Thread.Sleep(50);
        Assert.Equal(pulled, probe.Pulled);
        Assert.Throws<ObjectDisposedException>(() => loader.Next());
    }

    /// <summary>Wraps a dataset and records how many records were pulled and how many epoch readers were closed.</summary>
    private sealed class ProbeDataset(IImageTextDataset inner) : IImageTextDataset
    {
        private long _pulled;
        private int _closed;
        public long Pulled => Interlocked.Read(ref _pulled);
        public int Closed => Volatile.Read(ref _closed);
        public string Description => "probe";

        public IEnumerable<ImageTextRecord> ReadEpoch(int epoch, DataCounters counters)
        {
            try
            {
                foreach (var r in inner.ReadEpoch(epoch, counters))
                {
                    Interlocked.Increment(ref _pulled);
                    yield return r;
                }
            }
            finally
            {
                Interlocked.Increment(ref _closed);
            }
        }
    }
}
