using static TorchSharp.torch;

namespace Tcl.Evaluation;

/// <summary>
/// A segmentation method seen by the sliding-window segmenter: per-class scores for batches of windows. TCL
/// (<c>generate_masks</c>: grounder, PAMR, kp blend) and the training-free MaskCLIP baseline implement it; the
/// segmenter owns resizing, windowing, averaging, the background channel and the argmax.
/// </summary>
public interface IWindowScorer
{
    /// <summary>Short name for results tables (e.g. <c>tcl</c>, <c>maskclip</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Class scores in [0, 1] (probabilities, not logits: the background constant competes with them directly).
    /// </summary>
    /// <param name="windows">ImageNet-normalised windows <c>[B, 3, h, w]</c> of one image; any h, w (padding to
    /// the patch size is the scorer's job and is undone in the result).</param>
    /// <param name="classEmbeddings">L2-normalised class embeddings <c>[K, E]</c> (the text classifier).</param>
    /// <returns><c>[B, K, h, w]</c>.</returns>
    Tensor Score(Tensor windows, Tensor classEmbeddings);
}
