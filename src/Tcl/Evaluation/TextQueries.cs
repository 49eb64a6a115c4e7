using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Clip;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Evaluation;

/// <summary>
/// Free-form text queries on one image: one mask per query, in [0, 1], at the image's size — what "segment an image
/// with your own words" means. Each query is prompted with the protocol's templates, scored by the method's window
/// scorer (TCL's grounder, PAMR, kp blend; or MaskCLIP) over the protocol's sliding windows and resized to the image;
/// queries do not compete (no softmax, no background), so overlapping queries ("something purple", "star") both show.
/// </summary>
public static class TextQueries
{
    /// <summary>The masks of <paramref name="queries"/> on <paramref name="image"/>: <c>Q</c> arrays of <c>H·W</c> (row-major).</summary>
    public static IReadOnlyList<float[]> Masks(IWindowScorer scorer, TextTransformer textTower, EvaluationProtocol protocol,
        Image<Rgb24> image, IReadOnlyList<string> queries, ClipTokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (queries.Count == 0) return [];
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var classifier = TextClassifier.Build(textTower, tokenizer ?? ClipTokenizer.Default, queries, PromptTemplates.Get(protocol.Templates)); // [Q, E]
        var input = new EvalImagePreprocessor(protocol).Process(image);                                   // [1, 3, H, W]
        var scores = new SlidingWindowSegmenter(scorer, protocol).AverageScores(input, classifier, withBackground: false); // [1, Q, H, W]
        var resized = nn.functional.interpolate(scores, size: [image.Height, image.Width], mode: InterpolationMode.Bilinear, align_corners: false)
            .clamp(Scalars.Zero, Scalars.One).squeeze(0).contiguous();                                                         // [Q, H0, W0]
        return Enumerable.Range(0, queries.Count).Select(q => resized[q].data<float>().ToArray()).ToList();
    }
}
