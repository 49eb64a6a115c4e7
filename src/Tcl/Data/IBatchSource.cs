namespace Tcl.Data;

/// <summary>
/// Where a batch stream stands: the epoch and how many records of that epoch's (shuffled) stream have been consumed
/// by the batches handed out so far — including records that were skipped as corrupt. Stored in checkpoints; a
/// loader opened at a cursor continues exactly where the interrupted run stopped. Batches flow across epochs, so
/// the cursor after a batch that began in epoch <c>e</c> and ended <c>k</c> records into the next one is
/// <c>(e + 1, k)</c>.
/// </summary>
/// <param name="Epoch">0-based pass over the dataset.</param>
/// <param name="Consumed">Records of the epoch's stream consumed (skipped ones included).</param>
public sealed record DataCursor(int Epoch = 0, long Consumed = 0)
{
    public static DataCursor Start { get; } = new();
}

/// <summary>An endless, deterministic stream of training batches (the trainer's view of a loader).</summary>
public interface IBatchSource : IDisposable
{
    /// <summary>The next batch; the caller owns (disposes) it. Passes over the data repeat forever.</summary>
    ImageTextBatch Next();

    /// <summary>The position just after the last batch returned by <see cref="Next"/> (not of prefetched ones).</summary>
    DataCursor Position { get; }

    /// <summary>What has been read and skipped so far.</summary>
    DataCounters Counters { get; }
}
