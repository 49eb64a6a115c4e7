using System.Collections.Concurrent;
using Tcl.IO;

namespace Tcl.Data;

/// <summary>
/// What a loader has read and skipped since it was created (thread-safe counters). Skips are kept by reason so a
/// training log can say "12 corrupt images, 3 samples without a caption" instead of silently losing data. Skipped
/// files (and the first few undecodable images) also leave a <see cref="FileWarning"/> naming them, which the
/// consumer collects with <see cref="TakeWarnings"/> (the trainer hands them on in its progress reports).
/// </summary>
public sealed class DataCounters
{
    private long _read, _skippedCorruptImage, _skippedTruncatedImage, _skippedMissingCaption, _skippedMissingImage, _truncatedShards, _unreadableShards;
    private readonly ConcurrentQueue<FileWarning> _warnings = new();

    /// <summary>Samples delivered in batches.</summary>
    public long Read => Interlocked.Read(ref _read);

    /// <summary>Samples whose image bytes could not be decoded.</summary>
    public long SkippedCorruptImage => Interlocked.Read(ref _skippedCorruptImage);

    /// <summary>
    /// Samples whose image decoded but whose bytes end before the image does (a cut download): the decoder fills the
    /// missing part with grey. Skipped, as PIL (and so webdataset and the official pipeline) refuses them with
    /// "image file is truncated".
    /// </summary>
    public long SkippedTruncatedImage => Interlocked.Read(ref _skippedTruncatedImage);

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

    /// <summary>
    /// Shard files that could not be read at all (not a tar archive, an empty file, unreadable): skipped whole, each
    /// with a warning naming it. Not included in <see cref="Skipped"/>, which counts samples.
    /// </summary>
    public long UnreadableShards => Interlocked.Read(ref _unreadableShards);

    /// <summary>All skipped samples, whatever the reason.</summary>
    public long Skipped => SkippedCorruptImage + SkippedTruncatedImage + SkippedMissingCaption + SkippedMissingImage;

    public void AddRead(long n = 1) => Interlocked.Add(ref _read, n);
    public void AddCorruptImage() => Interlocked.Increment(ref _skippedCorruptImage);
    public void AddTruncatedImage() => Interlocked.Increment(ref _skippedTruncatedImage);
    public void AddUnreadableShard() => Interlocked.Increment(ref _unreadableShards);

    /// <summary>Records a warning for the consumer (thread-safe).</summary>
    public void Warn(FileWarning warning) => _warnings.Enqueue(warning);

    /// <summary>The warnings recorded since the last call, oldest first.</summary>
    public IReadOnlyList<FileWarning> TakeWarnings()
    {
        var taken = new List<FileWarning>();
        while (_warnings.TryDequeue(out var w)) taken.Add(w);
        return taken;
    }
    public void AddMissingCaption() => Interlocked.Increment(ref _skippedMissingCaption);
    public void AddMissingImage() => Interlocked.Increment(ref _skippedMissingImage);
    public void AddTruncatedShard() => Interlocked.Increment(ref _truncatedShards);

    public override string ToString() =>
        $"{Read} read, {Skipped} skipped ({SkippedCorruptImage} corrupt image, "
        + (SkippedTruncatedImage > 0 ? $"{SkippedTruncatedImage} truncated image, " : "")
        + $"{SkippedMissingCaption} no caption, {SkippedMissingImage} no image)"
        + (TruncatedShards > 0 ? $", {TruncatedShards} truncated shard(s)" : "")
        + (UnreadableShards > 0 ? $", {UnreadableShards} unreadable shard(s) skipped" : "");
}
