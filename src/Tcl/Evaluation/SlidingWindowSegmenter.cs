using TorchSharp;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Evaluation;

/// <summary>How an image is split into the windows the scorer sees.</summary>
public enum InferenceMode
{
    /// <summary>mmseg <c>slide</c>: crop/stride windows of <see cref="EvaluationProtocol"/> (the protocol's mode).</summary>
    Slide,

    /// <summary>mmseg <c>whole</c>: one window, the whole image.</summary>
    Whole,
}

/// <summary>
/// The segmentation of one image: the label map and, when asked for, the class probabilities.
/// Owns its tensors.
/// </summary>
/// <param name="Labels">Argmax labels <c>[H0, W0]</c> int64 at the original image size (class 0 = background for
/// background datasets).</param>
/// <param name="Probabilities">Softmax over classes <c>[1, C, H0, W0]</c> (mmseg's <c>inference</c> output), or
/// null when not kept (C·H0·W0 floats per image).</param>
/// <param name="Windows">The windows scored, in mmseg's call order.</param>
public sealed record SegmentationResult(Tensor Labels, Tensor? Probabilities, IReadOnlyList<WindowBox> Windows) : IDisposable
{
    /// <summary>Labels as bytes <c>[H0·W0]</c> row-major (for label PNGs; C ≤ 256).</summary>
    public byte[] LabelBytes()
    {
        using var b = Labels.to(ScalarType.Byte).cpu();
        return b.data<byte>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Labels.Dispose();
        Probabilities?.Dispose();
    }
}

/// <summary>
/// mmseg's <c>EncoderDecoder.inference</c> as TCL's evaluation wrapper runs it (<c>TCLSegInference</c>, official
/// <c>segmentation/evaluation/tcl_seg.py</c>): windows (<see cref="WindowGrid"/>), per-window class scores from an
/// <see cref="IWindowScorer"/>, the constant background channel prepended <b>per window</b> (TCL's <c>encode_decode</c>
/// does it before mmseg accumulates), scores summed into a full-size buffer in call order and divided by the per-pixel
/// window count, bilinear resize (<c>align_corners = False</c>) to the original size, softmax over classes, argmax
/// (first maximum wins) — the last three in row bands unless the probabilities are kept
/// (<see cref="BandedLabelResize"/>).
/// </summary>
/// <remarks>
/// Unlike mmseg, which calls the model once per window, the windows of an image go to
/// <see cref="IWindowScorer.Score"/> in one batch (they all have the same size: the crop, or the whole axis when the
/// image is smaller than the crop); <see cref="MaxWindowsPerCall"/> caps the batch when memory matters
/// (B·K·crop² floats). Accumulation order and arithmetic equal mmseg's, so results are the same up to the scorer's
/// own batch invariance.
/// </remarks>
public sealed class SlidingWindowSegmenter
{
    /// <summary>A segmenter for a protocol.</summary>
    /// <param name="scorer">The method (TCL, MaskCLIP …).</param>
    /// <param name="protocol">Crop, stride and background threshold come from here.</param>
    /// <param name="mode">Slide (the protocol) or whole-image inference.</param>
    public SlidingWindowSegmenter(IWindowScorer scorer, EvaluationProtocol protocol, InferenceMode mode = InferenceMode.Slide)
    {
        Scorer = scorer ?? throw new ArgumentNullException(nameof(scorer));
        Protocol = protocol ?? throw new ArgumentNullException(nameof(protocol));
        Mode = mode;
    }

    /// <summary>The method that scores windows.</summary>
    public IWindowScorer Scorer { get; }

    /// <summary>The protocol (crop, stride, background threshold).</summary>
    public EvaluationProtocol Protocol { get; }

    /// <summary>Slide or whole.</summary>
    public InferenceMode Mode { get; }

    /// <summary>Most windows per <see cref="IWindowScorer.Score"/> call (default: all windows of an image at once).</summary>
    public int MaxWindowsPerCall { get; init; } = int.MaxValue;

    /// <summary>The windows of an image of the given (pre-processed) size, in call order.</summary>
    public IReadOnlyList<WindowBox> Windows(int height, int width) => Mode == InferenceMode.Whole
        ? WindowGrid.Whole(height, width)
        : WindowGrid.Slide(height, width, Protocol.CropSize, Protocol.Stride);

    /// <summary>
    /// Window-averaged scores at the pre-processed size, before the resize (mmseg's <c>preds / count_mat</c>).
    /// </summary>
    /// <param name="image">Normalised image <c>[1, 3, H, W]</c>.</param>
    /// <param name="classEmbeddings">Class embeddings <c>[K, E]</c>.</param>
    /// <param name="withBackground">Prepend the constant background channel (C = K + 1) or not (C = K).</param>
    /// <returns><c>[1, C, H, W]</c>.</returns>
    public Tensor AverageScores(Tensor image, Tensor classEmbeddings, bool withBackground)
    {
        if (image.dim() != 4 || image.shape[0] != 1 || image.shape[1] != 3)
            throw new ArgumentException($"Expected one image [1, 3, H, W], got [{string.Join(", ", image.shape)}].", nameof(image));
        int h = (int)image.shape[2], w = (int)image.shape[3];
        long k = classEmbeddings.shape[0], c = withBackground ? k + 1 : k;
        var windows = Windows(h, w);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var background = scalars.Of(Protocol.BackgroundThreshold);
        var acc = zeros([1, c, h, w], dtype: image.dtype, device: image.device);          // mmseg preds
        var count = zeros([1, 1, h, w], dtype: image.dtype, device: image.device);        // mmseg count_mat
        int start = 0;
        while (start < windows.Count)
        {
            // Consecutive windows of one size (all of them, in practice) form one call.
            int end = start + 1;
            while (end < windows.Count && end - start < MaxWindowsPerCall &&
                   windows[end].Height == windows[start].Height && windows[end].Width == windows[start].Width) end++;
            using var callScope = NewDisposeScope();
            var crops = cat(Enumerable.Range(start, end - start).Select(i => Crop(image, windows[i])).ToList(), 0); // [B, 3, h_c, w_c]
            var scores = Scorer.Score(crops, classEmbeddings);                                                      // [B, K, h_c, w_c]
            var expected = new[] { end - start, k, windows[start].Height, windows[start].Width };
            if (!scores.shape.SequenceEqual(expected))
                throw new InvalidOperationException($"Scorer '{Scorer.Name}' returned [{string.Join(", ", scores.shape)}], expected [{string.Join(", ", expected)}].");
            for (int i = start; i < end; i++)
            {
                var box = windows[i];
                var s = scores.narrow(0, i - start, 1).to(image.dtype);                                           // [1, K, h_c, w_c]
                if (withBackground)
                    s = cat([full([1, 1, box.Height, box.Width], background, dtype: s.dtype, device: s.device), s], 1);
                Crop(acc, box).add_(s, Scalars.One);
                Crop(count, box).add_(Scalars.One, Scalars.One);
            }
            start = end;
        }
        return (acc / count).MoveToOuterDisposeScope();
    }

    /// <summary>Segments one pre-processed image.</summary>
    /// <param name="image">Normalised image <c>[1, 3, H, W]</c> (<see cref="EvalImagePreprocessor"/>).</param>
    /// <param name="classEmbeddings">Class embeddings <c>[K, E]</c> (<see cref="TextClassifier"/>).</param>
    /// <param name="withBackground">The dataset has a background class (label 0 = the constant channel).</param>
    /// <param name="originalHeight">H0 of the decoded image (labels are produced at this size).</param>
    /// <param name="originalWidth">W0 of the decoded image.</param>
    /// <param name="keepProbabilities">Return the softmax probabilities too.</param>
    public SegmentationResult Segment(Tensor image, Tensor classEmbeddings, bool withBackground,
                                      int originalHeight, int originalWidth, bool keepProbabilities = false)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var averaged = AverageScores(image, classEmbeddings, withBackground);                            // [1, C, H, W]
        var windows = Windows((int)image.shape[2], (int)image.shape[3]);
        if (!keepProbabilities)
        {
            var bands = empty([originalHeight, originalWidth], dtype: ScalarType.Int64);                  // [H0, W0]
            BandedLabelResize.Labels(averaged, originalHeight, originalWidth,
                (y0, band) => bands.narrow(0, y0, band.shape[0]).copy_(band));
            return new SegmentationResult(bands.MoveToOuterDisposeScope(), null, windows);
        }
        var resized = nn.functional.interpolate(averaged, size: [originalHeight, originalWidth],
            mode: InterpolationMode.Bilinear, align_corners: false);                                      // [1, C, H0, W0]
        var probs = resized.softmax(1);                                                                   // [1, C, H0, W0]
        var labels = probs.argmax(1).squeeze(0);                                                          // [H0, W0] int64
        return new SegmentationResult(labels.MoveToOuterDisposeScope(), probs.MoveToOuterDisposeScope(), windows);
    }

    /// <summary>
    /// The labels of one pre-processed image at the original size as bytes <c>[H0·W0]</c> row-major (label PNGs,
    /// the metric), without any <c>[C, H0, W0]</c> or <c>[H0, W0]</c> int64 tensor: the resize, softmax and argmax run in
    /// row bands (<see cref="BandedLabelResize"/>), so memory does not grow with the original size beyond the labels
    /// themselves. Identical to <see cref="Segment"/>'s labels.
    /// </summary>
    /// <param name="image">Normalised image <c>[1, 3, H, W]</c>.</param>
    /// <param name="classEmbeddings">Class embeddings <c>[K, E]</c>.</param>
    /// <param name="withBackground">The dataset has a background class.</param>
    /// <param name="originalHeight">H0.</param>
    /// <param name="originalWidth">W0.</param>
    /// <exception cref="ArgumentException">More than 256 classes (labels would not fit a byte).</exception>
    public byte[] SegmentLabelBytes(Tensor image, Tensor classEmbeddings, bool withBackground, int originalHeight, int originalWidth)
    {
        long classes = classEmbeddings.shape[0] + (withBackground ? 1 : 0);
        if (classes > 256) throw new ArgumentException($"{classes} classes do not fit byte labels (at most 256).", nameof(classEmbeddings));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var averaged = AverageScores(image, classEmbeddings, withBackground);                            // [1, C, H, W]
        var labels = new byte[(long)originalHeight * originalWidth];
        BandedLabelResize.Labels(averaged, originalHeight, originalWidth, (y0, band) =>
        {
            using var bytes = band.to(ScalarType.Byte);                                                   // [n, W0]
            bytes.data<byte>().CopyTo(labels.AsSpan(y0 * originalWidth, (int)bytes.numel()));
        });
        return labels;
    }

    /// <summary>The view <c>t[:, :, y1:y2, x1:x2]</c>.</summary>
    private static Tensor Crop(Tensor t, WindowBox box) =>
        t.narrow(2, box.Y1, box.Height).narrow(3, box.X1, box.Width);
}
