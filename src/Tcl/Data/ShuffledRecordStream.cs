namespace Tcl.Data;

/// <summary>One record of the endless stream with its coordinates: the <paramref name="Index"/>-th record (0-based,
/// skipped ones included) of epoch <paramref name="Epoch"/>'s shuffled stream.</summary>
/// <param name="Record">The record (image not decoded yet).</param>
/// <param name="Epoch">The epoch it belongs to.</param>
/// <param name="Index">Its position in that epoch's shuffled stream.</param>
internal readonly record struct StreamItem(ImageTextRecord Record, int Epoch, long Index)
{
    /// <summary>The cursor just after this record.</summary>
    public DataCursor After => new(Epoch, Index + 1);
}

/// <summary>
/// The loader's record stream: epochs of the dataset one after the other, forever, each passed through a streaming
/// shuffle buffer seeded by <c>(seed, epoch)</c>, starting at a <see cref="DataCursor"/>.
/// </summary>
/// <remarks>
/// <para>The shuffle is webdataset's: fill a buffer of <c>n</c> records, then for every further record emit a random
/// buffered one and put the new one in its place; at the end of the epoch drain the buffer in random order. The
/// buffer is flushed at every epoch end, so an epoch's stream is a permutation of that epoch's records determined by
/// <c>(seed, epoch)</c> alone — which is what lets a cursor <c>(epoch, consumed)</c> name a position.</para>
/// <para>Resuming replays: records before the cursor are pulled through the same shuffle and dropped without their
/// images being decoded (reading compressed bytes is cheap next to decoding and augmenting them).</para>
/// <para>Counters: the dataset counts its skipped samples into a private per-epoch <see cref="DataCounters"/>; those
/// counts are forwarded to the loader's counters only for the part of the epoch after the cursor, so a resumed run
/// does not count the replayed prefix a second time.</para>
/// </remarks>
internal sealed class ShuffledRecordStream : IDisposable
{
    private readonly IImageTextDataset _dataset;
    private readonly int _bufferSize;
    private readonly int _seed;
    private readonly DataCounters _counters;
    private readonly IEnumerator<StreamItem> _items;

    public ShuffledRecordStream(IImageTextDataset dataset, int bufferSize, int seed, DataCursor start, DataCounters counters)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start.Epoch, nameof(start));
        ArgumentOutOfRangeException.ThrowIfNegative(start.Consumed, nameof(start));
        _dataset = dataset;
        _bufferSize = Math.Max(1, bufferSize);
        _seed = seed;
        _counters = counters;
        _items = Items(start).GetEnumerator();
    }

    /// <summary>The next record; the stream never ends (an epoch without any record throws).</summary>
    public StreamItem Next()
    {
        _items.MoveNext();
        return _items.Current;
    }

    public void Dispose() => _items.Dispose();

    private IEnumerable<StreamItem> Items(DataCursor start)
    {
        for (int epoch = start.Epoch; ; epoch++)
        {
            long skip = epoch == start.Epoch ? start.Consumed : 0;
            var epochCounters = new DataCounters();
            var forward = new CounterForwarder(epochCounters, _counters);
            long index = 0;
            var rng = DataSeeds.Generator(_seed, epoch, DataSeeds.ShuffleSalt);
            foreach (var record in Shuffle(_dataset.ReadEpoch(epoch, epochCounters), rng))
            {
                if (index < skip)
                {
                    forward.Rebase();
                    index++;
                    continue;
                }
                forward.Flush();
                yield return new StreamItem(record, epoch, index++);
            }
            if (index < skip)
                forward.Rebase();
            else
                forward.Flush();
            if (index == 0)
                throw new NoTrainingDataException(
                    $"No shard yielded a single sample in epoch {epoch} ({_dataset.Description}; {epochCounters}). " +
                    "Expected webdataset shards holding key.jpg|png + key.txt pairs; the warnings above name the files that were skipped.");
            if (index < skip)
                throw new NoTrainingDataException(
                    $"Cannot resume at {start}: epoch {epoch} of {_dataset.Description} has only {index} records now. " +
                    "Did the dataset change since the cursor was saved?");
        }
    }

    private IEnumerable<ImageTextRecord> Shuffle(IEnumerable<ImageTextRecord> source, Random rng)
    {
        var buffer = new List<ImageTextRecord>(Math.Min(_bufferSize, 1 << 16));
        foreach (var record in source)
        {
            if (buffer.Count < _bufferSize)
            {
                buffer.Add(record);
                continue;
            }
            int j = rng.Next(buffer.Count);
            yield return buffer[j];
            buffer[j] = record;
        }
        DataSeeds.Shuffle(buffer, rng);
        foreach (var record in buffer)
            yield return record;
    }

    /// <summary>Adds what a per-epoch counter gained since the last call to the loader's counters (or forgets it).</summary>
    private sealed class CounterForwarder(DataCounters from, DataCounters to)
    {
        private long _corrupt, _partial, _caption, _image, _truncated, _unreadable;

        // Warnings are always passed on, also while replaying to a resume cursor: a shard that is not a tar is still
        // not a tar, and the resumed run should say so; images are not decoded while replaying, so none warn twice.
        public void Flush()
        {
            foreach (var w in from.TakeWarnings()) to.Warn(w);
            for (long n = from.SkippedCorruptImage; _corrupt < n; _corrupt++) to.AddCorruptImage();
            for (long n = from.SkippedTruncatedImage; _partial < n; _partial++) to.AddTruncatedImage();
            for (long n = from.UnreadableShards; _unreadable < n; _unreadable++) to.AddUnreadableShard();
            for (long n = from.SkippedMissingCaption; _caption < n; _caption++) to.AddMissingCaption();
            for (long n = from.SkippedMissingImage; _image < n; _image++) to.AddMissingImage();
            for (long n = from.TruncatedShards; _truncated < n; _truncated++) to.AddTruncatedShard();
        }

        public void Rebase()
        {
            foreach (var w in from.TakeWarnings()) to.Warn(w);
            _corrupt = from.SkippedCorruptImage;
            _partial = from.SkippedTruncatedImage;
            _unreadable = from.UnreadableShards;
            _caption = from.SkippedMissingCaption;
            _image = from.SkippedMissingImage;
            _truncated = from.TruncatedShards;
        }
    }
}
