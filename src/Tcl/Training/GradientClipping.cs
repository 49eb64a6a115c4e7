using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Training;

/// <summary><c>torch.nn.utils.clip_grad_norm_</c> over the parameters that have gradients (L2, one global norm).</summary>
public static class GradientClipping
{
    private static readonly Scalar Eps = Scalars.Pinned(1e-6);
    private static readonly Scalar One = Scalars.Pinned(1.0);

    /// <summary>
    /// Scales every gradient by <c>min(1, maxNorm / (‖g‖ + 1e-6))</c> where ‖g‖ is the L2 norm of all gradients
    /// together, and returns ‖g‖ before clipping (NaN/∞ when a gradient is not finite). <paramref name="maxNorm"/> ≤ 0
    /// only measures.
    /// </summary>
    public static double ClipByGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var grads = parameters.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList();
        if (grads.Count == 0) return 0;
        var total = stack(grads.Select(g => g.norm()).ToArray()).norm();   // [] the global norm
        double norm = total.item<float>();
        if (maxNorm > 0 && double.IsFinite(norm))
        {
            using var scalars = new ScalarScope();
            var coefficient = total.add(Eps, Scalars.One).reciprocal().mul(scalars.Of(maxNorm)).clamp_max(One);  // maxNorm / (‖g‖ + 1e-6), ≤ 1
            foreach (var g in grads) g.mul_(coefficient);
        }
        return norm;
    }
}
