using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Tests.Support;

/// <summary>Tensor comparisons that say where and by how much they differ.</summary>
public static class TensorAssert
{
    /// <summary>Same shape and max |actual − expected| ≤ atol + rtol·|expected| everywhere.</summary>
    public static void Close(Tensor expected, Tensor actual, double atol, double rtol = 0, string? what = null)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(",", actual.shape)}] != expected [{string.Join(",", expected.shape)}]");
        using var scope = NewDisposeScope();
        var e = expected.to(float64);
        var a = actual.to(float64);
        var diff = (a - e).abs();
        using var scalars = new ScalarScope();
        var allowed = e.abs().mul(scalars.Of(rtol)).add(scalars.Of(atol), Scalars.One);    // atol + rtol·|e|
        var excess = diff - allowed;
        double worst = excess.max().item<double>();
        if (worst > 0)
        {
            long at = excess.flatten().argmax().item<long>();
            Assert.Fail($"{what}: max |diff| {diff.max().item<double>():E3} exceeds atol {atol:E1} + rtol {rtol:E1} at flat index {at} " +
                        $"(expected {e.flatten()[at].item<double>():G9}, got {a.flatten()[at].item<double>():G9})");
        }
    }

    /// <summary>Largest absolute difference (for reporting).</summary>
    public static double MaxAbsDiff(Tensor expected, Tensor actual)
    {
        using var scope = NewDisposeScope();
        return (actual.to(float64) - expected.to(float64)).abs().max().item<double>();
    }
}
