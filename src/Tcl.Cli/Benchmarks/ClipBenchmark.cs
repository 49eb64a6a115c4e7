using Tcl.Clip;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Cli.Benchmarks;

/// <summary>One image size of the image-tower benchmark.</summary>
/// <param name="Side">Square input side in pixels.</param>
/// <param name="Timing">Wall time of one forward pass (batch 1).</param>
/// <param name="Gflop">Floating-point work of one pass, counted analytically (multiply-add = 2).</param>
public sealed record VisionForwardResult(int Side, Timing Timing, double Gflop)
{
    public double GflopPerSecond => Gflop / Timing.Median;
}

/// <summary>
/// ViT-B/16 image-tower forward time (fp32, CPU, no grad) at the sizes TCL uses: 224² (training) and 448² (one
/// evaluation window). Weights are random: the time does not depend on their values.
/// </summary>
public static class ClipBenchmark
{
    public static IReadOnlyList<VisionForwardResult> RunVision(VisionConfig config, int embedDim, IReadOnlyList<int> sides, int warmup, int runs)
    {
        using var tower = new VisionTransformer(config, embedDim);
        tower.eval();
        var results = new List<VisionForwardResult>();
        foreach (int side in sides)
        {
            using var image = randn(1, 3, side, side);
            var timing = BenchmarkClock.Measure($"ViT forward {side}x{side}", warmup, runs, () =>
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                tower.forward(image);
            });
            results.Add(new VisionForwardResult(side, timing, Gflop(config, embedDim, side)));
        }
        return results;
    }

    /// <summary>Analytic FLOP count of one image: patch embedding, per block qkv/out/MLP (24·W² per token) and attention (4·L·W per token).</summary>
    public static double Gflop(VisionConfig c, int embedDim, int side)
    {
        double w = c.Width, patches = Math.Pow(side / c.PatchSize, 2), l = patches + 1;
        double patchEmbed = 2 * patches * 3 * c.PatchSize * c.PatchSize * w;
        double perBlock = l * (24 * w * w + 4 * l * w);
        return (patchEmbed + c.Layers * perBlock + 2 * w * embedDim) / 1e9;
    }
}
