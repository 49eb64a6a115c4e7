using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Tests;

/// <summary>Proves the patched libtorch loads on this OS: a real tensor op and a backward pass run.</summary>
public class NativeLoadTests
{
    [Fact]
    public void TensorOpAndAutogradRun()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2).requires_grad_(true);
        var y = a.matmul(a).sum();
        y.backward();
        Assert.Equal(54f, y.item<float>());
        // d/dA sum(A·A) = (1ᵀ Aᵀ) + (Aᵀ 1) pattern: [[3+4... ]] checked numerically against the closed form.
        var expected = ones(2, 2).matmul(a.detach().t()).add(a.detach().t().matmul(ones(2, 2)), Scalars.One);
        Assert.True(allclose(a.grad!, expected));
    }
}
