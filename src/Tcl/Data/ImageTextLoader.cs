using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Clip;
using Tcl.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Data;

/// <summary>
/// The training stream of the official <c>build_dataset</c> (<c>datasets/builder.py</c>) over any
/// <see cref="IImageTextDataset"/>: epochs repeated forever, a seeded streaming shuffle buffer per epoch, lazy
/// decoding, per-record seeded augmentation, CLIP tokenisation, batches of
/// <see cref="ImageTextLoaderConfig.BatchSize"/>, optionally prepared ahead on a background thread, resumable at a
/// <see cref="DataCursor"/>.
/// </summary>
/// <remarks>
/// <para><b>Epoch boundaries.</b> The stream is endless and batches flow across epochs: the last batch of epoch
/// <c>e</c> is completed with the first records of epoch <c>e+1</c>, so every usable record is trained on once per
/// epoch. (The official pipeline drops incomplete batches, but it repeats the shards before batching, so it never
/// meets an epoch tail either; dropping tails would lose up to B−1 records per epoch, a lot on small synthetic data.)
/// The cursor after a batch is the position just after its last record: <c>(e+1, k)</c> for a batch that ended
/// <c>k</c> records into epoch <c>e+1</c>.</para>
/// <para><b>Determinism.</b> Record <c>i</c> of epoch <c>e</c>'s shuffled stream is augmented with a
/// <see cref="Random"/> seeded from <c>(seed, e, i)</c> (<see cref="DataSeeds"/>), so batches are bitwise the same with
/// or without prefetching and after resuming. Resuming replays the epoch's shuffle up to the cursor without decoding
/// images and continues exactly.</para>
/// <para><b>Skips.</b> A record whose image fails to decode — with an exception of <em>any</em> type: ImageSharp
/// throws <see cref="NullReferenceException"/> or <see cref="IndexOutOfRangeException"/> on some JPEGs whose header
/// is valid and whose body is garbage, and one bad sample among millions must not end a run — is skipped and counted:
/// with <see cref="DataCounters.AddTruncatedImage"/> when its bytes end early (<see cref="TruncatedImageException"/>,
/// see <see cref="ImageBytes"/>), else with <see cref="DataCounters.AddCorruptImage"/>. The first
/// <see cref="ImageWarningLimit"/> also leave a warning naming the sample and its shard. A skipped record still
/// advances the cursor. Any exception after decoding — in the transform, the tokenizer, or a programming error — is
/// not swallowed: it surfaces on <see cref="Next"/>, and every later call throws it again. An epoch without any
/// record, or in which every record was skipped, throws <see cref="NoTrainingDataException"/> rather than spinning
/// forever.</para>
/// <para><b>Counters.</b> <see cref="DataCounters.Read"/> counts records handed out by <see cref="Next"/>; skip
/// counters are updated when the producer meets the record, which with prefetching is up to
/// <see cref="ImageTextLoaderConfig.Prefetch"/> batches (plus the shuffle buffer) ahead.</para>
/// <para><b>Tensors.</b> Each batch is built inside its own dispose scope (the transform's temporaries die there) and
/// its two tensors are detached from it, on whichever thread builds it: the caller owns the returned batch and
/// disposes it, whether or not it called <see cref="Next"/> inside a scope of its own.</para>
/// </remarks>
public sealed class ImageTextLoader : IBatchSource
{
    /// <summary>Skipped images that get a warning each; later ones are only counted (a dataset with 1 % bad images
    /// would otherwise bury the log).</summary>
    public const int ImageWarningLimit = 10;

    private readonly Func<Image<Rgb24>, Random, Tensor> _transform;
    private readonly ClipTokenizer _tokenizer;
    private readonly ShuffledRecordStream _stream;
    private readonly BlockingCollection<Produced>? _queue;
    private readonly Thread? _producer;
    private readonly CancellationTokenSource _cancel = new();
    private ExceptionDispatchInfo? _failure;
    private bool _disposed;

    // Producer-side bookkeeping for "every record of an epoch was skipped".
    private int _currentEpoch = -1;
    private bool _epochSeenFromStart;
    private long _usableInEpoch;
    private long[]? _imageShape;

    /// <summary>Opens the stream at <paramref name="start"/> and, with prefetching, starts the producer thread.</summary>
    /// <param name="dataset">Where the records come from.</param>
    /// <param name="transform">Maps a decoded image (disposed by the loader afterwards) and the record's own generator
    /// to an ImageNet-normalised float32 tensor <c>[3, S, S]</c>; the same S for every record.</param>
    /// <param name="tokenizer">Tokenises the captions (<c>[B, ContextLength]</c> int64, truncated).</param>
    /// <param name="config">Batch size, shuffle buffer, seed, prefetch.</param>
    /// <param name="start">Where to start (a <see cref="Position"/> saved in a checkpoint); null = the beginning.</param>
    public ImageTextLoader(IImageTextDataset dataset, Func<Image<Rgb24>, Random, Tensor> transform, ClipTokenizer tokenizer,
        ImageTextLoaderConfig config, DataCursor? start = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Dataset = dataset;
        Config = config;
        _transform = transform;
        _tokenizer = tokenizer;
        Position = start ?? DataCursor.Start;
        _stream = new ShuffledRecordStream(dataset, config.ShuffleBuffer, config.Seed, Position, Counters);
        if (config.Prefetch > 0)
        {
            _queue = new BlockingCollection<Produced>(config.Prefetch);
            _producer = new Thread(ProduceLoop) { IsBackground = true, Name = "ImageTextLoader prefetch" };
            _producer.Start();
        }
    }

    /// <summary>
    /// The training loader both trainings (CLIP pre-training, TCL) use: webdataset shards from paths, brace patterns,
    /// folders or globs (shard order seeded by <c>config.Seed</c>), the training augmentation, the CLIP tokenizer.
    /// </summary>
    public static ImageTextLoader FromShards(IEnumerable<string> shards, Transforms.TrainAugmentConfig augment,
        ImageTextLoaderConfig config, DataCursor? start = null)
    {
        var dataset = new WebDatasetShards(ShardPattern.Expand(shards), config.Seed);
        return new ImageTextLoader(dataset, new Transforms.TrainTransform(augment).Apply, ClipTokenizer.Default, config, start);
    }

    /// <summary>The dataset being streamed.</summary>
    public IImageTextDataset Dataset { get; }

    /// <summary>The configuration the loader was opened with.</summary>
    public ImageTextLoaderConfig Config { get; }

    public DataCursor Position { get; private set; }

    public DataCounters Counters { get; } = new();

    public ImageTextBatch Next()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _failure?.Throw();
        Produced produced;
        if (_queue == null)
        {
            try
            {
                produced = Produce(CancellationToken.None);
            }
            catch (Exception e)
            {
                _failure = ExceptionDispatchInfo.Capture(e);
                throw;
            }
        }
        else
        {
            try
            {
                produced = _queue.Take(_cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new ObjectDisposedException(nameof(ImageTextLoader));
            }
            if (produced.Error != null)
            {
                _failure = produced.Error;
                _failure.Throw();
            }
        }
        Position = produced.After;
        var batch = produced.Batch!;
        Counters.AddRead(batch.Count);
        return batch;
    }

    /// <summary>Stops and joins the producer thread and frees prefetched batches.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _cancel.Cancel();
        if (_producer != null)
        {
            _producer.Join();
            while (_queue!.TryTake(out var left))
                left.Batch?.Dispose();
            _queue.Dispose();
        }
        else
        {
            _stream.Dispose();
        }
        _cancel.Dispose();
    }

    /// <summary>A built batch and the cursor after it, or the producer's failure.</summary>
    private sealed record Produced(ImageTextBatch? Batch, DataCursor After, ExceptionDispatchInfo? Error = null);

    private void ProduceLoop()
    {
        var token = _cancel.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var produced = Produce(token);
                try
                {
                    _queue!.Add(produced, token);
                }
                catch (OperationCanceledException)
                {
                    produced.Batch?.Dispose();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            try
            {
                _queue!.Add(new Produced(null, Position, ExceptionDispatchInfo.Capture(e)), token);
            }
            catch (OperationCanceledException)
            {
            }
        }
        finally
        {
            _stream.Dispose();
            _queue!.CompleteAdding();
        }
    }

    /// <summary>Pulls records until a batch is full; decodes, augments, stacks and tokenises.</summary>
    private Produced Produce(CancellationToken token)
    {
        int b = Config.BatchSize;
        var captions = new List<string>(b);
        var keys = new List<string>(b);
        var images = new List<Tensor>(b);
        using var scope = NewDisposeScope();
        DataCursor after = Position;
        while (images.Count < b)
        {
            token.ThrowIfCancellationRequested();
            var item = _stream.Next();
            TrackEpoch(item);
            after = item.After;
            Image<Rgb24> image;
            try
            {
                image = item.Record.DecodeImage();
            }
            catch (Exception e) when (IsUnreadableImage(e))
            {
                SkipImage(item.Record, e);
                continue;
            }
            Tensor pixels;
            using (image)
                pixels = _transform(image, DataSeeds.Generator(Config.Seed, item.Epoch, item.Index, DataSeeds.AugmentSalt));
            CheckImageTensor(pixels, item.Record.Key);
            images.Add(pixels); // [3, S, S]
            captions.Add(item.Record.Caption);
            keys.Add(item.Record.Key);
            _usableInEpoch++;
        }
        var stacked = stack(images); // [B, 3, S, S]
        foreach (var t in images) t.Dispose();
        var tokens = _tokenizer.Tokenize(captions, Config.ContextLength); // [B, 77] int64
        var batch = new ImageTextBatch(stacked.DetachFromDisposeScope(), tokens.DetachFromDisposeScope(), captions, keys);
        return new Produced(batch, after);
    }

    /// <summary>Throws when a whole epoch, read from its start, gave no usable record (all corrupt).</summary>
    private void TrackEpoch(StreamItem item)
    {
        if (item.Epoch == _currentEpoch) return;
        if (_currentEpoch >= 0 && _epochSeenFromStart && _usableInEpoch == 0)
            throw new NoTrainingDataException(
                $"Every record of epoch {_currentEpoch} was skipped ({Dataset.Description}; {Counters}): no image could be decoded. " +
                "An endless stream over it would never produce a batch.");
        _currentEpoch = item.Epoch;
        _epochSeenFromStart = item.Index == 0;
        _usableInEpoch = 0;
    }

    private void CheckImageTensor(Tensor pixels, string key)
    {
        if (pixels.dtype != ScalarType.Float32 || pixels.dim() != 3 || pixels.shape[0] != 3)
            throw new InvalidOperationException(
                $"The transform returned a {pixels.dtype} tensor of shape [{string.Join(", ", pixels.shape)}] for '{key}'; expected float32 [3, S, S].");
        _imageShape ??= pixels.shape;
        if (!pixels.shape.SequenceEqual(_imageShape))
            throw new InvalidOperationException(
                $"The transform returned shape [{string.Join(", ", pixels.shape)}] for '{key}' after [{string.Join(", ", _imageShape)}]; every image of a stream must have the same size.");
    }

    /// <summary>
    /// Whether an exception thrown by <see cref="ImageTextRecord.DecodeImage"/> means a bad sample: every exception
    /// but cancellation. Decoders of untrusted web bytes fail in untyped ways (ImageSharp's JPEG decoder throws
    /// <see cref="NullReferenceException"/> on a valid header followed by garbage), so the type cannot tell a bad
    /// file from a bug; the decode call touches nothing but the record's bytes, so skipping it is safe.
    /// </summary>
    private static bool IsUnreadableImage(Exception e) => e is not OperationCanceledException;

    /// <summary>Counts an image that did not decode and warns about the first few.</summary>
    private void SkipImage(ImageTextRecord record, Exception e)
    {
        if (e is TruncatedImageException) Counters.AddTruncatedImage();
        else Counters.AddCorruptImage();
        long skipped = Counters.SkippedCorruptImage + Counters.SkippedTruncatedImage;
        if (skipped > ImageWarningLimit) return;
        var where = record.Source is null ? $"sample '{record.Key}'" : $"{record.Source}: sample '{record.Key}'";
        var why = e is TruncatedImageException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        Counters.Warn(new FileWarning(record.Source ?? record.Key, $"{where}: image not decodable ({why}); skipped and counted" +
            (skipped == ImageWarningLimit ? ". Further undecodable images are only counted." : ".")));
    }
}
