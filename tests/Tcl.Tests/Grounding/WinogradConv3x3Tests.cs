using System.Diagnostics;
using Tcl.Grounding;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Tcl.Torch;

namespace Tcl.Tests.Grounding;

/// <summary><see cref="WinogradConv3x3"/> against <c>conv2d</c>: exact in float64 for any size (tiles padded and
/// cropped, chunked or not), cache follows weight changes, and the float32 error at the decoder's real size.</summary>
public class WinogradConv3x3Tests(ITestOutputHelper output)
{
    private static readonly Scalar Half = Scalars.Pinned(0.5);

    [Theory]
    [InlineData(WinogradTile.F2, 1, 1)]
    [InlineData(WinogradTile.F2, 7, 9)]
    [InlineData(WinogradTile.F4, 1, 1)]
    [InlineData(WinogradTile.F4, 7, 9)]
    [InlineData(WinogradTile.F4, 16, 13)]
    public void MatchesConv2dInFloat64(WinogradTile tile, int h, int w)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        var conv = nn.Conv2d(5, 6, 3, padding: 1, bias: true).to(ScalarType.Float64);
        var x = randn(2, 5, h, w, dtype: ScalarType.Float64);
        var expected = conv.forward(x);
        using var fast = new WinogradConv3x3(conv, tile);
        Assert.Equal(expected.shape, fast.Forward(x).shape);
        Assert.True((fast.Forward(x) - expected).abs().max().item<double>() < 1e-12);
        fast.MaxChunkBytes = 1;                                                             // one tile row per chunk
        Assert.True((fast.Forward(x) - expected).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void FollowsInPlaceWeightChangesAndRefusesGrad()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(2);
        var conv = nn.Conv2d(4, 4, 3, padding: 1);
        var x = randn(1, 4, 6, 6);
        using var fast = new WinogradConv3x3(conv, WinogradTile.F2);
        Assert.Throws<InvalidOperationException>(() => fast.Forward(x));
        using var _ = no_grad();
        fast.Forward(x);
        using var scalars = new ScalarScope();
        conv.weight!.mul_(scalars.Of(2)).add_(scalars.Of(0.1), Scalars.One);
        conv.bias!.add_(Scalars.One, Scalars.One);
        Assert.True((fast.Forward(x) - conv.forward(x)).abs().max().item<float>() < 1e-4);
    }

    [Fact]
    public void DecoderFastPathIsOnlyUsedWithoutGrad()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var decoder = new GatedDecoder(8, 1, 3);
        foreach (var (name, p) in decoder.named_parameters())
            if (name.EndsWith("gate.gate")) using (no_grad()) p.copy_(full_like(p, Half));
        var x = randn(1, 8, 5, 5);
        var exact = decoder.forward(x).detach();
        decoder.FastInference = WinogradTile.F4;
        Assert.Equal(WinogradTile.F4, decoder.FastInference);
        var trained = decoder.forward(x);                                                   // grad on: conv2d, bit-identical
        Assert.True(trained.requires_grad);
        Assert.Equal(0f, (trained - exact).abs().max().item<float>());
        using (no_grad())
        {
            var fast = decoder.forward(x);
            double err = (fast - exact).abs().max().item<float>();
            Assert.True(err > 0 && err < 1e-4, $"{err}");
        }
    }

    /// <summary>
    /// The error table: one 768→768 conv on [1, 768, 56, 56] LayerNorm + GELU activations of N(0, 1) inputs,
    /// PyTorch-default-initialised weights (kaiming-uniform a=√5: U(±1/√(9·768))) and the same ×10, float32 Winograd
    /// vs float32 conv2d and vs a float64 reference.
    /// </summary>
    [Fact]
    public void ReportsFloat32ErrorAtDecoderSize()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        torch.manual_seed(4);
        var norm = nn.LayerNorm(768);
        var x = randn(1, 768, 56, 56);
        var act = F.gelu(norm.forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)).contiguous();
        foreach (double scale in new[] { 1.0, 10.0 })
        {
            var conv = nn.Conv2d(768, 768, 3, padding: 1);
            using (var scalars = new ScalarScope()) conv.weight!.mul_(scalars.Of(scale));
            var sw = Stopwatch.StartNew();
            var exact = conv.forward(act);
            double tConv = sw.Elapsed.TotalSeconds;
            var reference = F.conv2d(act.to(ScalarType.Float64), conv.weight!.to(ScalarType.Float64), conv.bias!.to(ScalarType.Float64), padding: [1, 1]);
            double refMax = reference.abs().max().item<double>();
            double conv32Err = (exact.to(ScalarType.Float64) - reference).abs().max().item<double>();
            output.WriteLine($"weights x{scale}: |y|max {refMax:G3}; conv2d fp32 vs fp64: max abs {conv32Err:G3} ({conv32Err / refMax:G3} rel), {tConv:F3} s");
            foreach (var tile in new[] { WinogradTile.F2, WinogradTile.F4 })
            {
                using var fast = new WinogradConv3x3(conv, tile);
                fast.Forward(act);
                sw.Restart();
                var y = fast.Forward(act);
                double t = sw.Elapsed.TotalSeconds;
                double vsConv = (y - exact).abs().max().item<float>();
                double vsRef = (y.to(ScalarType.Float64) - reference).abs().max().item<double>();
                output.WriteLine($"  {tile}: vs conv2d max abs {vsConv:G3} ({vsConv / refMax:G3} rel); vs fp64 max abs {vsRef:G3} ({vsRef / refMax:G3} rel); {t:F3} s");
                Assert.True(vsRef / refMax < (tile == WinogradTile.F2 ? 1e-5 : 1e-3));
            }
        }
    }
}
