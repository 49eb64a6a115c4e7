using Tcl.Clip;
using Tcl.Grounding;
using Tcl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Cli.Benchmarks;

/// <summary>Result of the training-step benchmark.</summary>
/// <param name="Batch">Images per step.</param>
/// <param name="Side">Image side.</param>
/// <param name="DecoderOnly">Whether the grounder block was frozen (the first phase).</param>
/// <param name="Timing">Wall time of one full step (forward, backward, clipping, AdamW).</param>
public sealed record TrainStepResult(int Batch, int Side, bool DecoderOnly, Timing Timing)
{
    public double StepsPerSecond => 1 / Timing.Median;
}

/// <summary>
/// One TCL training step on a ViT-B/16-sized model (random weights: the time does not depend on them), fp32, CPU:
/// frozen CLIP towers, grounder, all six loss terms including the differentiable CLIP pass of image-level TCL,
/// backward, gradient clipping at 5 and an AdamW update.
/// </summary>
public static class TrainStepBenchmark
{
    public static TrainStepResult Run(ClipConfig clip, int batch, int side, bool decoderOnly, bool recomputeMaskedImagePass, int warmup, int runs)
    {
        using var model = new TclModel(clip) { RecomputeMaskedImagePass = recomputeMaskedImagePass };
        model.SetDecoderOnlyPhase(decoderOnly);
        model.train();
        // The trainer's own optimiser and clipping (TorchSharp's optim.AdamW makes temporary Scalars in step()).
        var named = model.LearnableParameters().ToList();
        var parameters = named.Select(p => p.Parameter).ToList();
        using var optimizer = new AdamW(named, new AdamWConfig());
        var noise = new GeneratorGumbelNoise(new Generator(0));
        using var images = randn(batch, 3, side, side, generator: new Generator(1));
        // Captions of 12 tokens: SOT, ids, EOT (the largest id), padding.
        using var tokens = zeros(batch, clip.Text.ContextLength, dtype: int64);
        using (no_grad())
        {
            tokens[.., 0] = tensor((long)clip.Text.VocabSize - 2);
            tokens[.., 1..11] = randint(1, 40000, new long[] { batch, 10 }, dtype: int64, generator: new Generator(2));
            tokens[.., 11] = tensor((long)clip.Text.VocabSize - 1);
        }
        var timing = BenchmarkClock.Measure($"TCL train step B={batch} {side}x{side}", warmup, runs, () =>
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            var step = model.TrainingStep(images, tokens, noise);
            step.Total.backward();
            GradientClipping.ClipByGlobalNorm(parameters, 5.0);
            optimizer.Step(7.5e-5);
        });
        return new TrainStepResult(batch, side, decoderOnly, timing);
    }
}
