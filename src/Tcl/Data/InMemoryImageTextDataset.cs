using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Tcl.Data;

/// <summary>
/// Image-caption pairs held in memory, in a fixed order (the same every epoch; shuffling is the loader's job). For
/// tests, small demos and generated data that never touches the disk.
/// </summary>
/// <remarks>
/// A pair holds an image <em>factory</em> rather than an image, so a generator can render lazily and the loader can
/// skip pairs without rendering them — the same contract as a shard's lazily decoded JPEG. Pairs with a null factory
/// or an empty caption are counted as skipped, exactly like broken webdataset samples, so tests of the loader's
/// bookkeeping can use this dataset instead of writing tar files.
/// </remarks>
public sealed class InMemoryImageTextDataset : IImageTextDataset
{
    private readonly List<Pair> _pairs;

    /// <summary>One pair: <paramref name="Image"/> returns a new image the caller owns (null = a pair without image).</summary>
    /// <param name="Key">Unique key.</param>
    /// <param name="Caption">The raw caption (empty = a pair without caption).</param>
    /// <param name="Image">Produces the image on each call; may throw like a corrupt file would.</param>
    public sealed record Pair(string Key, string Caption, Func<Image<Rgb24>>? Image);

    /// <summary>Pairs with image factories.</summary>
    /// <param name="pairs">The pairs, in stream order.</param>
    /// <param name="description">For logs; defaults to "in memory: N pairs".</param>
    public InMemoryImageTextDataset(IEnumerable<Pair> pairs, string? description = null)
    {
        _pairs = pairs.ToList();
        var duplicate = _pairs.GroupBy(p => p.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null)
            throw new ArgumentException($"Key '{duplicate.Key}' occurs {duplicate.Count()} times; keys must be unique.", nameof(pairs));
        Description = description ?? $"in memory: {_pairs.Count} pairs";
    }

    /// <summary>
    /// Pairs over existing images: every decode returns a clone, because the loader disposes the images it decodes.
    /// The caller keeps ownership of <paramref name="pairs"/>' images and must keep them alive while the dataset is read.
    /// </summary>
    /// <param name="pairs">(key, caption, image) in stream order.</param>
    /// <param name="description">For logs.</param>
    public static InMemoryImageTextDataset FromImages(IEnumerable<(string Key, string Caption, Image<Rgb24> Image)> pairs, string? description = null) =>
        new(pairs.Select(p => new Pair(p.Key, p.Caption, () => p.Image.Clone())), description);

    /// <summary>Pairs over encoded image bytes (PNG, JPEG …), decoded on demand like a shard's entries.</summary>
    /// <param name="pairs">(key, caption, encoded bytes) in stream order.</param>
    /// <param name="description">For logs.</param>
    public static InMemoryImageTextDataset FromEncoded(IEnumerable<(string Key, string Caption, byte[] Bytes)> pairs, string? description = null) =>
        new(pairs.Select(p => new Pair(p.Key, p.Caption, () => SixLabors.ImageSharp.Image.Load<Rgb24>(p.Bytes))), description);

    /// <summary>Number of pairs, broken ones included.</summary>
    public int Count => _pairs.Count;

    /// <summary>The pairs, in stream order.</summary>
    public IReadOnlyList<Pair> Pairs => _pairs;

    public string Description { get; }

    public IEnumerable<ImageTextRecord> ReadEpoch(int epoch, DataCounters counters)
    {
        foreach (var pair in _pairs)
        {
            if (pair.Image == null)
                counters.AddMissingImage();
            else if (string.IsNullOrWhiteSpace(pair.Caption))
                counters.AddMissingCaption();
            else
                yield return new ImageTextRecord(pair.Key, pair.Caption, pair.Image);
        }
    }
}
