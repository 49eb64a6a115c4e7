using Tcl.Data;
using static TorchSharp.torch;

namespace Tcl.Tests.Support;

/// <summary>
/// A deterministic endless stream of random image-caption batches for trainer tests: batch k depends only on the seed
/// and k, so a stream opened at a cursor continues exactly where another one stood.
/// </summary>
public sealed class RandomBatches(int batchSize, int side, int seed, DataCursor? start = null) : IBatchSource
{
    private long _consumed = start?.Consumed ?? 0;

    public DataCounters Counters { get; } = new();

    public DataCursor Position => new(0, _consumed);

    /// <summary>Random caption tokens <c>[B, 77]</c>: SOT, 6 caption ids, EOT (the largest id: CLIP pools there), zero padding.</summary>
    public static Tensor CaptionTokens(int batchSize, Generator generator)
    {
        var tokens = zeros(batchSize, 77, dtype: int64);
        tokens[.., 0] = tensor(49406L);
        tokens[.., 1..7] = randint(1, 2000, new long[] { batchSize, 6 }, dtype: int64, generator: generator);
        tokens[.., 7] = tensor(49407L);
        return tokens;
    }

    public ImageTextBatch Next()
    {
        var generator = new Generator((ulong)(seed * 1_000_003L + _consumed));
        var images = randn(new long[] { batchSize, 3, side, side }, generator: generator);
        var tokens = CaptionTokens(batchSize, generator);
        var keys = Enumerable.Range(0, batchSize).Select(i => $"{_consumed + i:D9}").ToList();
        _consumed += batchSize;
        Counters.AddRead(batchSize);
        return new ImageTextBatch(images.DetachFromDisposeScope(), tokens.DetachFromDisposeScope(), keys.Select(k => "caption " + k).ToList(), keys);
    }

    public void Dispose() { }
}
