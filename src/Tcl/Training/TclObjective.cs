using Tcl.Data;
using Tcl.Grounding;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tcl.Training;

/// <summary>
/// TCL as a training objective: the grounder trains on the weighted TCL terms; the grounder block stays frozen for
/// the first <c>ust_steps</c> (decoder-only phase, official <c>configs/tcl.yml</c>). The Gumbel noise comes from its
/// own seeded generator, whose state is part of the checkpoint so that a resumed run draws the same masks.
/// </summary>
public sealed class TclObjective : ITrainingObjective
{
    private readonly long _decoderOnlySteps;

    /// <param name="model">The TCL model with CLIP weights loaded.</param>
    /// <param name="decoderOnlySteps">Steps during which the grounder block is frozen (<c>ust_steps</c>).</param>
    /// <param name="seed">Seed of the Gumbel noise generator.</param>
    public TclObjective(TclModel model, long decoderOnlySteps, long seed)
    {
        Tcl = model;
        _decoderOnlySteps = decoderOnlySteps;
        NoiseGenerator = new Generator((ulong)seed);
        Noise = new GeneratorGumbelNoise(NoiseGenerator);
        OptimizedParameters = model.LearnableParameters().ToList();
    }

    public TclModel Tcl { get; }

    /// <summary>Generator of the Gumbel noise (checkpointed).</summary>
    public Generator NoiseGenerator { get; }

    private GeneratorGumbelNoise Noise { get; }

    public IReadOnlyList<(string Name, Generator Generator)> Generators => [("gumbel", NoiseGenerator)];

    public nn.Module Model => Tcl;

    public IReadOnlyList<(string Name, Parameter Parameter)> OptimizedParameters { get; }

    public void BeginStep(long step)
    {
        bool decoderOnly = step < _decoderOnlySteps;
        if (decoderOnly != Tcl.DecoderOnly || step == 0) Tcl.SetDecoderOnlyPhase(decoderOnly);
        Tcl.train();
    }

    public LossResult ComputeLoss(ImageTextBatch batch)
    {
        var output = Tcl.TrainingStep(batch.Images, batch.Tokens, Noise);
        return new LossResult(output.Terms, output.Total);
    }
}
