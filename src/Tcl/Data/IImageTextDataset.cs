namespace Tcl.Data;

/// <summary>
/// A source of image-caption pairs for training: webdataset tar shards (CC3M/CC12M as img2dataset writes them), the
/// synthetic world, or pairs held in memory. A dataset only streams records in a deterministic order; batching,
/// shuffling, augmentation, tokenisation and resuming are the <c>ImageTextLoader</c>'s job.
/// </summary>
public interface IImageTextDataset
{
    /// <summary>A one-line description for logs and reports (e.g. "webdataset: 348 shards under /data/cc3m").</summary>
    string Description { get; }

    /// <summary>
    /// One pass over the data, streamed (never the whole dataset in memory). The order may depend on
    /// <paramref name="epoch"/> (e.g. a seeded shard order) but must be the same every time the same epoch is read,
    /// so that a resumed run sees the same records. Records with no caption are not yielded but counted in
    /// <paramref name="counters"/>.
    /// </summary>
    IEnumerable<ImageTextRecord> ReadEpoch(int epoch, DataCounters counters);
}
