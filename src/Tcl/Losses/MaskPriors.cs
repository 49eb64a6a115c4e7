using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Losses;

/// <summary>The mask priors of the official <c>models/tcl/tcl.py</c> (<c>AreaTCLLoss</c>, <c>tv_loss</c>;
/// unweighted).</summary>
public static class MaskPriors
{
    /// <summary>
    /// Batch-level area prior <c>|mean(m) − p|</c>: the mean runs over every element of the local batch (not per
    /// sample). p = 0.4 for the positive masks (against the trivial all-foreground mask), 0 for the negative ones.
    /// </summary>
    public static Tensor Area(Tensor masks, double prior) => WrappedTensorDisposeScope(() =>
    {
        using var scalars = new ScalarScope();
        return masks.mean().sub(scalars.Of(prior)).abs();
    });

    /// <summary>
    /// L1 total variation <c>mean|x[…, :, 1:] − x[…, :, :−1]| + mean|x[…, 1:, :] − x[…, :−1, :]|</c> over the last
    /// two (spatial) dimensions; 0 for a constant tensor.
    /// </summary>
    /// <remarks>The differences of a dense embedding are as large as it (~50 MB each at batch 8, 512×56×56): a scope
    /// frees them on return rather than at the end of the training step.</remarks>
    public static Tensor TotalVariation(Tensor x) => WrappedTensorDisposeScope(() =>
    {
        long h = x.shape[^2], w = x.shape[^1];
        var dx = (x.narrow(-1, 1, w - 1) - x.narrow(-1, 0, w - 1)).abs().mean();
        var dy = (x.narrow(-2, 1, h - 1) - x.narrow(-2, 0, h - 1)).abs().mean();
        return dx.add(dy, Scalars.One);
    });
}
