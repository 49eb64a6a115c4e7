namespace Tcl.Data;

/// <summary>
/// A source of image-caption pairs for training: webdataset tar shards (CC3M/CC12M as img2dataset writes them), the
/// synthetic world, or pairs held in memory. A dataset only streams records in a deterministic order; batching,
/// shuffling, augmentation, tokenisation and resuming are the <see cref="ImageTextLoader"/>'s job.
/// </summary>
public interface IImageTextDataset
{
    /// <summary>A one-line description for logs and reports (e.g. "webdataset: 348 shards under /data/cc3m").</summary>
    string Description { get; }

    /// <summary>
    /// One pass over the data, streamed (never the whole dataset in memory). The order may depend on
    /// <paramref name="epoch"/> (e.g. a seeded shard order) but must be the same every time the same epoch is read,
    /// so that a resumed run sees the same records. Samples with no caption (or an empty one) or no image are not
    /// yielded but counted in <paramref name="counters"/>; images are not decoded here (a corrupt image is the
    /// loader's to count, when it calls <see cref="ImageTextRecord.DecodeImage"/>).
    /// </summary>
    /// <param name="epoch">0-based pass; datasets may use it to vary their order (e.g. a seeded shard order).</param>
    /// <param name="counters">Where skipped samples (and truncated shards) are counted.</param>
    IEnumerable<ImageTextRecord> ReadEpoch(int epoch, DataCounters counters);
}
