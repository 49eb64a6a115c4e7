using System.Diagnostics;
using Tcl.Clip;
using Tcl.Evaluation.Benchmarks;
using Tcl.Evaluation.Metrics;
using static TorchSharp.torch;

namespace Tcl.Evaluation;

/// <summary>The scores of one background threshold of a sweep.</summary>
/// <param name="Threshold">The constant score of the background channel.</param>
/// <param name="Scores">Per-class IoU (background is class 0), aAcc, mIoU at that threshold.</param>
public sealed record ThresholdSweepPoint(double Threshold, SegmentationScores Scores)
{
    /// <summary>IoU of the background class (class 0).</summary>
    public double BackgroundIoU => Scores.IoU[0];

    /// <summary>Mean IoU of the prompted classes only (NaN-aware, background left out).</summary>
    public double ForegroundMeanIoU
    {
        get
        {
            var present = Scores.IoU.Skip(1).Where(v => !double.IsNaN(v)).ToList();
            return present.Count == 0 ? double.NaN : present.Average();
        }
    }
}

/// <summary>A whole sweep: one point per threshold, in the order asked for.</summary>
/// <param name="Dataset">Benchmark key.</param>
/// <param name="Method">Scorer name (<c>tcl</c>, <c>maskclip</c>).</param>
/// <param name="Protocol">The protocol the thresholds replace the background threshold of (<c>name@vN</c>).</param>
/// <param name="Points">One per threshold.</param>
/// <param name="Seconds">Wall time of the sweep, classifier included.</param>
public sealed record BackgroundThresholdSweepResult(string Dataset, string Method, string Protocol, IReadOnlyList<ThresholdSweepPoint> Points, double Seconds)
{
    /// <summary>The point with the highest mIoU (the first one on ties).</summary>
    public ThresholdSweepPoint Best => Points.Aggregate((a, b) => b.Scores.MeanIoU > a.Scores.MeanIoU ? b : a);
}

/// <summary>
/// The background threshold's effect on a with-background benchmark (official <c>TCLSegInference.encode_decode</c>):
/// the protocol's evaluation run once per image for several thresholds. The expensive part — the scorer (CLIP,
/// grounder, PAMR, kp blend) on the image's windows — runs once per image; its per-class window scores, before any
/// background decision, are kept and replayed into one <see cref="SlidingWindowSegmenter"/> per threshold, which then
/// does what it always does (constant background channel per window, window averaging, resize, softmax, argmax). Each
/// threshold's result therefore equals <see cref="BenchmarkEvaluator"/> run with
/// <c>protocol with { BackgroundThreshold = t }</c>, at roughly the cost of one evaluation.
/// </summary>
public sealed class BackgroundThresholdSweep
{
    private readonly ClipTokenizer _tokenizer;

    /// <param name="scorer">The method's window scorer.</param>
    /// <param name="textTower">Frozen CLIP text tower for the classifier.</param>
    /// <param name="protocol">Everything but the background threshold (sizes, windows, PAMR, kp, templates).</param>
    /// <param name="tokenizer">CLIP tokenizer (default: the embedded CLIP vocabulary).</param>
    public BackgroundThresholdSweep(IWindowScorer scorer, TextTransformer textTower, EvaluationProtocol protocol, ClipTokenizer? tokenizer = null)
    {
        Scorer = scorer ?? throw new ArgumentNullException(nameof(scorer));
        TextTower = textTower ?? throw new ArgumentNullException(nameof(textTower));
        Protocol = protocol ?? throw new ArgumentNullException(nameof(protocol));
        _tokenizer = tokenizer ?? ClipTokenizer.Default;
    }

    /// <summary>The method.</summary>
    public IWindowScorer Scorer { get; }

    /// <summary>The frozen text tower.</summary>
    public TextTransformer TextTower { get; }

    /// <summary>The base protocol.</summary>
    public EvaluationProtocol Protocol { get; }

    /// <summary>Evenly spaced thresholds <c>from, from + step, …, to</c> (inclusive, rounded to 6 decimals).</summary>
    public static IReadOnlyList<double> Range(double from, double to, double step)
    {
        if (step <= 0 || to < from) throw new ArgumentException($"Expected from ≤ to and step > 0, got {from}, {to}, {step}.");
        int n = (int)Math.Floor((to - from) / step + 1e-9) + 1;
        return Enumerable.Range(0, n).Select(i => Math.Round(from + i * step, 6)).ToList();
    }

    /// <summary>Evaluates <paramref name="dataset"/> at every threshold; cancelling stops between images.</summary>
    /// <param name="dataset">A benchmark with a background class (VOC, Context, COCO-Object, the synthetic ones).</param>
    /// <param name="thresholds">Background thresholds to score (at least one).</param>
    /// <param name="options">Only <see cref="EvaluationOptions.Limit"/> is used.</param>
    /// <param name="progress">After each image; the running mIoU is that of the first threshold.</param>
    /// <param name="cancellation">Stops between images.</param>
    /// <exception cref="ArgumentException">No thresholds, or the benchmark has no background class.</exception>
    /// <exception cref="InvalidDataException">An image or label is unreadable, or their sizes differ.</exception>
    public BackgroundThresholdSweepResult Run(SegmentationDataset dataset, IReadOnlyList<double> thresholds, EvaluationOptions? options = null,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (thresholds.Count == 0) throw new ArgumentException("Give at least one threshold.", nameof(thresholds));
        var manifest = dataset.Manifest;
        if (!manifest.Evaluation.WithBackground)
            throw new ArgumentException($"{manifest.Key} has no background class: the background threshold does not apply to it.", nameof(dataset));

        var clock = Stopwatch.StartNew();
        var samples = dataset.Samples();
        if (options?.Limit is { } limit) samples = samples.Take(limit).ToList();
        var replay = new ReplayScorer(Scorer);
        var segmenters = thresholds.Select(t => new SlidingWindowSegmenter(replay, Protocol with { BackgroundThreshold = t })).ToList();
        var metrics = thresholds.Select(_ => new MeanIoU(BenchmarkEvaluator.MetricConfig(manifest))).ToList();
        var preprocessor = new EvalImagePreprocessor(Protocol);
        using var classifier = new BenchmarkEvaluator(Scorer, TextTower, Protocol, _tokenizer).Classifier(manifest);   // [K, E]
        try
        {
            for (int i = 0; i < samples.Count; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                var sample = samples[i];
                var imageClock = Stopwatch.StartNew();
                using (var scope = NewDisposeScope())
                {
                    using var image = BenchmarkEvaluator.LoadImage(sample.ImagePath);
                    var truth = BenchmarkEvaluator.ReadTruth(manifest, sample, image.Width, image.Height);
                    var input = preprocessor.Process(image);                                      // [1, 3, H, W]
                    replay.BeginImage();
                    for (int t = 0; t < segmenters.Count; t++)
                    {
                        // The first threshold runs the scorer; the others replay its window scores.
                        replay.Rewind();
                        using var result = segmenters[t].Segment(input, classifier, withBackground: true, image.Height, image.Width);
                        metrics[t].Add(result.LabelBytes(), truth.Pixels, image.Width, image.Height);
                    }
                }
                progress?.Report(new EvaluationProgress(i + 1, samples.Count, sample.Id, imageClock.Elapsed.TotalSeconds, metrics[0].Scores().MeanIoU));
            }
        }
        finally
        {
            replay.BeginImage();   // frees the last image's kept scores
        }
        var points = thresholds.Select((t, k) => new ThresholdSweepPoint(t, metrics[k].Scores())).ToList();
        return new BackgroundThresholdSweepResult(manifest.Key, Scorer.Name, Protocol.ToString(), points, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Runs the real scorer on the first pass over an image and keeps each call's scores <c>[B, K, h, w]</c>; after
    /// <see cref="Rewind"/>, the same calls (same windows, same order) get the kept scores back.
    /// </summary>
    private sealed class ReplayScorer(IWindowScorer inner) : IWindowScorer
    {
        private readonly List<(long[] Shape, Tensor Scores)> _kept = [];
        private int _next;
        private bool _recording = true;

        public string Name => inner.Name;

        /// <summary>Forgets the previous image (its kept scores are freed); the next pass records.</summary>
        public void BeginImage()
        {
            foreach (var (_, scores) in _kept) scores.Dispose();
            _kept.Clear();
            _recording = true;
            _next = 0;
        }

        /// <summary>Ends the current pass; the following pass replays what was recorded.</summary>
        public void Rewind()
        {
            if (_kept.Count > 0) _recording = false;
            _next = 0;
        }

        public Tensor Score(Tensor windows, Tensor classEmbeddings)
        {
            if (_recording)
            {
                var scores = inner.Score(windows, classEmbeddings);
                // Kept outside every dispose scope (the segmenter's per-call scope would free it); freed in BeginImage.
                var kept = scores.detach().clone().DetachFromDisposeScope();
                _kept.Add((windows.shape, kept));
                return scores;
            }
            if (_next >= _kept.Count || !_kept[_next].Shape.SequenceEqual(windows.shape))
                throw new InvalidOperationException("The windows of a replayed pass differ from the recorded ones.");
            return _kept[_next++].Scores.alias();
        }
    }
}
