namespace Tcl.Data;

/// <summary>How an <see cref="ImageTextLoader"/> batches, shuffles and prefetches (official <c>build_loader</c>,
/// <c>datasets/builder.py</c>).</summary>
/// <param name="BatchSize">Pairs per batch B (official: 64 per GPU, 16 GPUs).</param>
/// <param name="ShuffleBuffer">Records in the streaming shuffle buffer (official: 40,000). Memory grows with it: the
/// buffer holds each record's encoded image bytes (~30–60 KB for CC3M at 512 px). 0 or 1 = no shuffling.</param>
/// <param name="Seed">Seed of every random decision of the loader: the shuffle buffer per epoch and each record's
/// augmentation (official: 0). The dataset's own shard order has its own seed.</param>
/// <param name="Prefetch">Batches prepared ahead on a background thread while the model trains (0 = synchronous,
/// everything happens inside <see cref="ImageTextLoader.Next"/>). Results do not depend on it.</param>
/// <param name="ContextLength">Token sequence length of the captions (CLIP: 77; longer captions are truncated).</param>
public sealed record ImageTextLoaderConfig(
    int BatchSize = 64,
    int ShuffleBuffer = 1000,
    int Seed = 0,
    int Prefetch = 2,
    int ContextLength = 77)
{
    /// <summary>The official TCL training stream per GPU: batches of 64, shuffle buffer 40,000, seed 0.</summary>
    public static ImageTextLoaderConfig Official { get; } = new(BatchSize: 64, ShuffleBuffer: 40_000, Seed: 0);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for values no loader can work with.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(ShuffleBuffer, nameof(ShuffleBuffer));
        ArgumentOutOfRangeException.ThrowIfNegative(Prefetch, nameof(Prefetch));
        ArgumentOutOfRangeException.ThrowIfLessThan(ContextLength, 2, nameof(ContextLength));
    }
}
