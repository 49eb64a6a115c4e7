namespace Tcl.Data;

/// <summary>
/// What a loader has read and skipped since it was created (thread-safe counters). Skips are kept by reason so a
/// training log can say "12 corrupt images, 3 samples without a caption" instead of silently losing data.
/// </summary>
public sealed class DataCounters
{
    private long _read, _skippedCorruptImage, _skippedMissingCaption, _skippedMissingImage, _truncatedShards;

    /// <summary>Samples delivered in batches.</summary>
    public long Read => Interlocked.Read(ref _read);

    /// <summary>Samples whose image bytes could not be decoded.</summary>
    public long SkippedCorruptImage => Interlocked.Read(ref _skippedCorruptImage);

    /// <summary>Samples with an image but no caption (no <c>.txt</c>/<c>.text</c>, or an empty one).</summary>
    public long SkippedMissingCaption => Interlocked.Read(ref _skippedMissingCaption);

    /// <summary>Samples with a caption but no image (no <c>.jpg</c>/<c>.jpeg</c>/<c>.png</c>).</summary>
    public long SkippedMissingImage => Interlocked.Read(ref _skippedMissingImage);

    /// <summary>
    /// Shards that ended early (cut off by an interrupted download or img2dataset run, or damaged after their first
    /// entry): their complete samples were used, the rest of the shard was skipped. Not included in <see cref="Skipped"/>,
    /// which counts samples.
    /// </summary>
    public long TruncatedShards => Interlocked.Read(ref _truncatedShards);

    /// <summary>All skipped samples, whatever the reason.</summary>
    public long Skipped => SkippedCorruptImage + SkippedMissingCaption + SkippedMissingImage;

    public void AddRead(long n = 1) => Interlocked.Add(ref _read, n);
    public void AddCorruptImage() => Interlocked.Increment(ref _skippedCorruptImage);
    public void AddMissingCaption() => Interlocked.Increment(ref _skippedMissingCaption);
    public void AddMissingImage() => Interlocked.Increment(ref _skippedMissingImage);
    public void AddTruncatedShard() => Interlocked.Increment(ref _truncatedShards);

    public override string ToString() =>
        $"{Read} read, {Skipped} skipped ({SkippedCorruptImage} corrupt image, {SkippedMissingCaption} no caption, {SkippedMissingImage} no image)"
        + (TruncatedShards > 0 ? $", {TruncatedShards} truncated shard(s)" : "");
}
