using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Clip;
using Tcl.Evaluation.Benchmarks;
using Tcl.Evaluation.Metrics;
using Tcl.IO;
using static TorchSharp.torch;

namespace Tcl.Evaluation;

/// <summary>Progress of a benchmark evaluation, after each image.</summary>
/// <param name="Done">Images evaluated so far.</param>
/// <param name="Total">Images to evaluate.</param>
/// <param name="SampleId">The image just evaluated.</param>
/// <param name="ImageSeconds">Wall time of that image (decode, segmentation, metric).</param>
/// <param name="RunningMeanIoU">mIoU over the images so far (a fraction; NaN before the first).</param>
public sealed record EvaluationProgress(int Done, int Total, string SampleId, double ImageSeconds, double RunningMeanIoU);

/// <summary>One benchmark's result, with everything needed to say how it was produced.</summary>
/// <param name="Dataset">Benchmark key (<c>voc</c>, <c>ade20k</c> …).</param>
/// <param name="Method">Segmentation method (<c>tcl</c>, <c>maskclip</c>, <c>predictions</c>).</param>
/// <param name="Protocol">Protocol name and version (<c>tcl@v1</c>).</param>
/// <param name="Scores">Per-class IoU/accuracy, aAcc, mIoU.</param>
/// <param name="Seconds">Wall time of the evaluation, classifier included.</param>
/// <param name="ClassifierSeconds">Time to build the text classifier.</param>
public sealed record BenchmarkResult(string Dataset, string Method, string Protocol, SegmentationScores Scores, double Seconds, double ClassifierSeconds);

/// <summary>Options of one evaluation.</summary>
/// <param name="Limit">Evaluate only the first N images (smoke tests; the result says how many were used).</param>
/// <param name="SavePredictionsTo">Folder to write every prediction to as <c>{id}.png</c> (8-bit labels), so that the
/// same scores can be recomputed with <see cref="PredictionFolderScorer"/> or compared with other methods.</param>
public sealed record EvaluationOptions(int? Limit = null, string? SavePredictionsTo = null);

/// <summary>
/// The unified zero-shot evaluation of one method on one benchmark (the paper's unified protocol, as the official
/// <c>validate_seg</c> in <c>main.py</c> runs it): the text classifier once per dataset, then per image decode →
/// keep-ratio resize and normalisation → sliding windows scored in one batch → averaged, background channel, resized to
/// the original size, argmax → mmseg's mIoU accumulation. No gradients, fp32, the model in eval mode.
/// </summary>
public sealed class BenchmarkEvaluator
{
    private readonly ClipTokenizer _tokenizer;

    /// <param name="scorer">The method's window scorer (<see cref="TclWindowScorer"/>, <see cref="MaskClipWindowScorer"/>).</param>
    /// <param name="textTower">Frozen CLIP text tower for the classifier.</param>
    /// <param name="protocol">Protocol settings (sizes, windows, PAMR, kp, background threshold, templates).</param>
    /// <param name="tokenizer">CLIP tokenizer (default: the embedded CLIP vocabulary).</param>
    public BenchmarkEvaluator(IWindowScorer scorer, TextTransformer textTower, EvaluationProtocol protocol, ClipTokenizer? tokenizer = null)
    {
        Scorer = scorer;
        TextTower = textTower;
        Protocol = protocol;
        _tokenizer = tokenizer ?? ClipTokenizer.Default;
        Segmenter = new SlidingWindowSegmenter(scorer, protocol);
        Preprocessor = new EvalImagePreprocessor(protocol);
    }

    public IWindowScorer Scorer { get; }
    public TextTransformer TextTower { get; }
    public EvaluationProtocol Protocol { get; }
    public SlidingWindowSegmenter Segmenter { get; }
    public EvalImagePreprocessor Preprocessor { get; }

    /// <summary>The metric settings a benchmark's manifest implies.</summary>
    public static SegmentationMetricConfig MetricConfig(BenchmarkManifest manifest) =>
        new(manifest.NumClasses, manifest.Evaluation.ReduceZeroLabel, manifest.Evaluation.IgnoreIndex, ClassNames: manifest.ClassNames);

    /// <summary>The text classifier of a benchmark: prompted classes × the protocol's templates, <c>[K, E]</c>, normalised.</summary>
    public Tensor Classifier(BenchmarkManifest manifest)
    {
        using var _ = no_grad();
        return TextClassifier.Build(TextTower, _tokenizer, manifest.PromptedClassNames, PromptTemplates.Get(Protocol.Templates));
    }

    /// <summary>Evaluates <paramref name="dataset"/>; cancelling stops between images (the partial result is discarded).</summary>
    /// <exception cref="BenchmarkDataException">The dataset folder is missing or incomplete (the message points to the manifest).</exception>
    /// <exception cref="InvalidDataException">An image or label file is unreadable, or their sizes differ.</exception>
    public BenchmarkResult Evaluate(SegmentationDataset dataset, EvaluationOptions? options = null,
        IProgress<EvaluationProgress>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new EvaluationOptions();
        var clock = Stopwatch.StartNew();
        var manifest = dataset.Manifest;
        var samples = dataset.Samples();
        if (options.Limit is { } limit) samples = samples.Take(limit).ToList();
        var metric = new MeanIoU(MetricConfig(manifest));
        using var classifier = Classifier(manifest);
        double classifierSeconds = clock.Elapsed.TotalSeconds;
        bool withBackground = manifest.Evaluation.WithBackground;
        var outOfRange = new List<OutOfRangeFile>();   // ground-truth PNGs with ids outside the classes (mmseg drops them)
        for (int i = 0; i < samples.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var sample = samples[i];
            var imageClock = Stopwatch.StartNew();
            byte[] prediction;
            int width, height;
            using (var scope = NewDisposeScope())
            {
                // The decoded image is released before the network runs: only its resized copy is needed.
                Tensor input;
                using (var image = LoadImage(sample.ImagePath))
                {
                    (width, height) = (image.Width, image.Height);
                    input = Preprocessor.Process(image);                                     // [1, 3, H, W]
                }
                prediction = Segmenter.SegmentLabelBytes(input, classifier, withBackground, height, width); // [H0·W0]
            }
            var truth = ReadTruth(manifest, sample, width, height);
            var areas = metric.Add(prediction, truth.Pixels, width, height);
            outOfRange.AddRange(OutOfRangeFile.Of(areas, sample.LabelPath, predictionPath: null));
            if (options.SavePredictionsTo is { } dir)
            {
                var path = Path.Combine(dir, sample.Id + ".png");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                LabelPng.Write(path, prediction, width, height);
            }
            progress?.Report(new EvaluationProgress(i + 1, samples.Count, sample.Id, imageClock.Elapsed.TotalSeconds,
                metric.Scores().MeanIoU));
        }
        var scores = metric.Scores() with { OutOfRangeFiles = outOfRange };
        return new BenchmarkResult(manifest.Key, Scorer.Name, Protocol.ToString(), scores, clock.Elapsed.TotalSeconds, classifierSeconds);
    }

    /// <summary>The ground truth of <paramref name="sample"/>, checked to be the image's size.</summary>
    /// <exception cref="InvalidDataException">The label's size differs; the message names both files and how to prepare the data.</exception>
    internal static LabelMap ReadTruth(BenchmarkManifest manifest, SegmentationSample sample, int width, int height)
    {
        var truth = LabelPng.Read(sample.LabelPath);
        if (truth.Width != width || truth.Height != height)
            throw new InvalidDataException($"{manifest.Key}: label '{sample.LabelPath}' is {truth.Width}×{truth.Height} but image " +
                                           $"'{sample.ImagePath}' is {width}×{height}. {manifest.HowToPrepareHint}");
        return truth;
    }

    // One buffer per image, so the pre-processor resizes from the decoded pixels without copying them first.
    private static readonly Configuration ContiguousImages = CreateContiguousConfiguration();

    private static Configuration CreateContiguousConfiguration()
    {
        var configuration = Configuration.Default.Clone();
        configuration.PreferContiguousImageBuffers = true;
        return configuration;
    }

    /// <summary>Decodes an evaluation image (into one contiguous buffer).</summary>
    /// <exception cref="InvalidDataException">Not a readable image.</exception>
    internal static Image<Rgb24> LoadImage(string path)
    {
        try
        {
            return Image.Load<Rgb24>(ContiguousImages, path);
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            throw new InvalidDataException($"'{path}' is not a readable image ({e.Message}).", e);
        }
    }
}
