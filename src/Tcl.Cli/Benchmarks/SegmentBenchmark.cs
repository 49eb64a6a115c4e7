using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Clip;
using Tcl.Evaluation;
using Tcl.Evaluation.Benchmarks;
using Tcl.Grounding;
using static TorchSharp.torch;

namespace Tcl.Cli.Benchmarks;

/// <summary>Result of the segmentation benchmark (seconds are medians).</summary>
/// <param name="ImageWidth">Width of the original image.</param>
/// <param name="ImageHeight">Height of the original image.</param>
/// <param name="Windows">Sliding windows of the resized image.</param>
/// <param name="Classifier">Building the text classifier (prompted classes × templates).</param>
/// <param name="Prompts">Prompts the classifier encodes.</param>
/// <param name="WithPamr">Whole image, official protocol (PAMR on): pre-processing, windows, averaging, argmax.</param>
/// <param name="WithoutPamr">Whole image, no-PAMR protocol.</param>
/// <param name="Clip">Frozen CLIP pass over all windows (F10 and the self-only dense tokens).</param>
/// <param name="Grounder">Grounder on F10: block copy, decoder, image_proj, similarity, soft masks.</param>
/// <param name="Pamr">PAMR refinement of the windows' masks.</param>
public sealed record SegmentBenchmarkResult(int ImageWidth, int ImageHeight, int Windows, Timing Classifier, int Prompts,
    Timing WithPamr, Timing WithoutPamr, Timing Clip, Timing Grounder, Timing Pamr)
{
    /// <summary>What the whole-image time with PAMR spends outside CLIP, grounder and PAMR (kp branch, resizes, averaging, argmax, pre-processing).</summary>
    public double RestSeconds => WithPamr.Median - Clip.Median - Grounder.Median - Pamr.Median;
}

/// <summary>
/// Seconds per image of the unified protocol for a ViT-B/16-sized TCL (random weights: time does not depend on
/// them) on a VOC-sized image (500×375 → 597×448, two 448² windows), with and without PAMR, and how the time splits
/// between CLIP, the grounder, PAMR and the rest; plus the VOC text classifier (20 prompted classes × 9 templates).
/// </summary>
public static class SegmentBenchmark
{
    /// <param name="fastConv">Winograd tile for the decoder's convolutions (<see cref="TclModel.FastDecoderInference"/>; default F4); null = conv2d.</param>
    public static SegmentBenchmarkResult Run(ClipConfig clip, int width, int height, int warmup, int runs, Tcl.Grounding.WinogradTile? fastConv = Tcl.Grounding.GatedDecoder.DefaultFastInference)
    {
        using var model = new TclModel(clip);
        model.eval();
        model.FastDecoderInference = fastConv;
        var manifest = BenchmarkCatalog.Get("voc");
        var templates = PromptTemplates.Get(EvaluationProtocol.Official.Templates);
        Tensor classifier = null!;
        var classifierTiming = BenchmarkClock.Measure("VOC text classifier", warmup, runs, () =>
        {
            classifier?.Dispose();
            classifier = TextClassifier.Build(model.clip_text_encoder, ClipTokenizer.Default, manifest.PromptedClassNames, templates);
        });

        using var image = RandomImage(width, height);
        var official = new SlidingWindowSegmenter(new TclWindowScorer(model, EvaluationProtocol.Official), EvaluationProtocol.Official);
        var noPamr = new SlidingWindowSegmenter(new TclWindowScorer(model, EvaluationProtocol.NoPamr), EvaluationProtocol.NoPamr);
        var preprocessor = new EvalImagePreprocessor(EvaluationProtocol.Official);
        Timing Whole(SlidingWindowSegmenter segmenter, string name) => BenchmarkClock.Measure(name, warmup, runs, () =>
        {
            using var scope = NewDisposeScope();
            var input = preprocessor.Process(image);
            using var result = segmenter.Segment(input, classifier, withBackground: true, height, width);
        });
        var withPamr = Whole(official, "image, PAMR");
        var withoutPamr = Whole(noPamr, "image, no PAMR");

        // The parts, on the same windows.
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = preprocessor.Process(image);                                                   // [1, 3, 448, 597]
        var boxes = official.Windows((int)input.shape[2], (int)input.shape[3]);
        var windows = cat(boxes.Select(b => input[.., .., b.Y1..b.Y2, b.X1..b.X2]).ToArray(), 0);  // [n, 3, 448, 448]
        var options = new VisionEncodeOptions(SelfOnlyLastBlock: true, TapBlock: model.FreezeBlocks - 1);
        VisionTokens tower = null!;
        var clipTiming = BenchmarkClock.Measure("CLIP", warmup, runs, () => tower = model.clip_image_encoder.clip_visual.EncodeTokens(windows, options));
        var grounderInput = new GrounderInput(tower.Tapped!, tower.GridHeight, tower.GridWidth);
        Tensor soft = null!;
        var grounderTiming = BenchmarkClock.Measure("grounder", warmup, runs, () => soft = model.masker.SoftMasks(grounderInput, classifier).Soft);
        var pamr = Tcl.Evaluation.Pamr.FromProtocol(EvaluationProtocol.Official);
        var pamrImage = nn.functional.interpolate(windows, size: [soft.shape[2], soft.shape[3]], mode: InterpolationMode.Bilinear, align_corners: true);
        var pamrTiming = BenchmarkClock.Measure("PAMR", warmup, runs, () => pamr.Refine(pamrImage, soft));
        classifier.Dispose();
        return new SegmentBenchmarkResult(width, height, boxes.Count, classifierTiming, manifest.PromptedClassNames.Count * templates.Count,
            withPamr, withoutPamr, clipTiming, grounderTiming, pamrTiming);
    }

    /// <summary>A reproducible noise image (content does not change the time).</summary>
    private static Image<Rgb24> RandomImage(int width, int height)
    {
        var random = new Random(0);
        var image = new Image<Rgb24>(width, height);
        var bytes = new byte[3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                random.NextBytes(bytes);
                image[x, y] = new Rgb24(bytes[0], bytes[1], bytes[2]);
            }
        return image;
    }
}
