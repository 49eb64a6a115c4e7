using static TorchSharp.torch;

namespace Tcl.Data;

/// <summary>A training batch of image-caption pairs, ready for the model.</summary>
/// <param name="Images">ImageNet-normalised images <c>[B, 3, H, W]</c>, float32 (ImageNet mean/std, not CLIP's, as the
/// official <c>us/misc.py</c>).</param>
/// <param name="Tokens">CLIP token ids of the captions <c>[B, 77]</c>, int64.</param>
/// <param name="Captions">The raw captions, row-aligned with <paramref name="Tokens"/> (for logs and visualisations).</param>
/// <param name="Keys">Sample keys (e.g. webdataset keys), row-aligned.</param>
public sealed record ImageTextBatch(Tensor Images, Tensor Tokens, IReadOnlyList<string> Captions, IReadOnlyList<string> Keys) : IDisposable
{
    /// <summary>Number of pairs B.</summary>
    public int Count => (int)Images.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Tokens.Dispose();
    }
}
