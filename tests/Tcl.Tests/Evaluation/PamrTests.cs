using Tcl.Evaluation;
using Tcl.Tests.Support;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Tcl.Torch;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// PAMR against the official module (<c>pamr.safetensors</c>: 10 iterations with the six dilations and 1 iteration
/// with dilation 1, on a mask at half the image size, so the align_corners resize is exercised), its kernel buffers,
/// and analytic checks. Shapes come from the file; tolerance 1e-6 (the parity tolerance for masks).
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class PamrTests(ITestOutputHelper log)
{
    private static Dictionary<string, Tensor> Load() => TorchSharp.PyBridge.Safetensors.LoadStateDict(Fixtures.Path("pamr.safetensors"));

    [Theory]
    [InlineData("out", 10, new[] { 1, 2, 4, 8, 12, 24 })]
    [InlineData("out_iter1_dil1", 1, new[] { 1 })]
    public void RefineMatchesTheOfficialModule(string key, int iterations, int[] dilations)
    {
        var f = Load();
        using var scope = NewDisposeScope();
        var actual = new Pamr(iterations, dilations).Refine(f["x"], f["mask"]);
        log.WriteLine($"{key}: max |diff| {TensorAssert.MaxAbsDiff(f[key], actual):E3}");
        TensorAssert.Close(f[key], actual, 1e-6, what: key);
    }

    [Theory]
    [InlineData("abs", "kernel.aff_x")]
    [InlineData("copy", "kernel.aff_m")]
    [InlineData("std", "kernel.aff_std")]
    public void StencilOrderIsTheOfficialKernels(string kind, string key)
    {
        var f = Load();
        Assert.True(BitwiseTensors.Identical(f[key], Pamr.StencilKernel(kind)), "{kind} kernel differs from {key}");
    }

    /// <summary>The gather with narrow equals the official conv2d with the kernel buffers, exactly.</summary>
    [Fact]
    public void AffinityEqualsTheConvolutionFormulation()
    {
        var f = Load();
        using var scope = NewDisposeScope();
        var x = f["x"];
        int[] dilations = [1, 2, 4, 8, 12, 24];
        long b = x.shape[0], k = x.shape[1], h = x.shape[2], w = x.shape[3];
        Tensor Conv(Tensor input, Tensor kernel) => cat(dilations.Select(d =>
            F.conv2d(F.pad(input.reshape(b * k, 1, h, w), [d, d, d, d], PaddingModes.Replicate), kernel, dilation: [d, d])).ToArray(), 1)
            .view(b, k, -1, h, w);
        var std = Conv(x, f["kernel.aff_std"]).std(2, unbiased: true, keepdim: true);
        using var scalars = new ScalarScope();
        var expected = (-Conv(x, f["kernel.aff_x"]).abs() / std.mul(scalars.Of(0.1)).add(scalars.Of(1e-8), Scalars.One)).mean([1], keepdim: true).softmax(2);
        var actual = new Pamr(10, dilations).Affinity(x);
        log.WriteLine($"affinity: max |diff| {TensorAssert.MaxAbsDiff(expected, actual):E3}");
        TensorAssert.Close(expected, actual, 0, what: "affinity");
    }

    /// <summary>Official <c>pamr.py</c> on a constant image: every weight is 1/48, so a step is the mean of the 48
    /// replicate-padded neighbours.</summary>
    [Fact]
    public void ConstantImageAveragesTheNeighbours()
    {
        using var scope = NewDisposeScope();
        var pamr = new Pamr(1, [1, 2, 4, 8, 12, 24]);
        using var scalars = new ScalarScope();
        var image = full(1, 3, 9, 11, scalars.Of(0.7f));
        var affinity = pamr.Affinity(image);
        Assert.Equal([1L, 1, 48, 9, 11], affinity.shape);
        TensorAssert.Close(full_like(affinity, scalars.Of(1.0 / 48)), affinity, 1e-7, what: "uniform weights");

        var mask = rand(new long[] { 1, 2, 9, 11 }, generator: manual_seed(3));
        var expected = zeros_like(mask);
        foreach (int d in pamr.Dilations)
        {
            var padded = F.pad(mask, [d, d, d, d], PaddingModes.Replicate);
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++)
                    if (r != 1 || c != 1) expected.add_(padded.narrow(2, r * d, 9).narrow(3, c * d, 11), Scalars.One);
        }
        TensorAssert.Close(expected.div(scalars.Of(48)), pamr.Refine(image, mask), 1e-6, what: "neighbour mean");
    }

    /// <summary>The streamed accumulation differs from the official stacked sum only by summation order (5e-6: ten
    /// iterations of 48-term sums re-rounded; 1.8e-6 observed).</summary>
    [Fact]
    public void StreamedAccumulationIsCloseToTheOfficialModule()
    {
        var f = Load();
        using var scope = NewDisposeScope();
        var actual = new Pamr(streamed: true).Refine(f["x"], f["mask"]);
        log.WriteLine($"streamed out: max |diff| {TensorAssert.MaxAbsDiff(f["out"], actual):E3}");
        TensorAssert.Close(f["out"], actual, 5e-6, what: "streamed out");
    }

    /// <summary>Chunking over classes (to bound memory) changes nothing, bit for bit.</summary>
    [Fact]
    public void ChunkingOverClassesIsExact()
    {
        var f = Load();
        using var scope = NewDisposeScope();
        var whole = new Pamr().Refine(f["x"], f["mask"]);
        var chunked = new Pamr(maxChunkElements: 1).Refine(f["x"], f["mask"]);
        Assert.True(BitwiseTensors.Identical(whole, chunked), "chunked refinement differs");
    }
}
