using Tcl.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tcl.Training;

/// <summary>
/// What the <c>Trainer</c> trains: a module and the loss it minimises. TCL is one objective; CLIP pre-training on the
/// synthetic world is another. The trainer owns the optimiser, schedule, clipping, checkpoints and logs.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>The module whose state is checkpointed and whose parameters (those with <c>requires_grad</c>) are optimised.</summary>
    nn.Module Model { get; }

    /// <summary>
    /// Parameters the optimiser holds, by state-dict name: every parameter that is trainable in any phase (frozen
    /// ones are excluded; a parameter frozen in the current phase simply gets no gradient and is skipped by AdamW).
    /// </summary>
    IReadOnlyList<(string Name, Parameter Parameter)> OptimizedParameters { get; }

    /// <summary>
    /// The random generators the objective draws from during training (e.g. TCL's Gumbel noise), by name; their
    /// states are checkpointed so that a resumed run draws the same numbers as an uninterrupted one.
    /// </summary>
    IReadOnlyList<(string Name, Generator Generator)> Generators { get; }

    /// <summary>Called before every step: switches phases (e.g. TCL's grounder block unfreezes at <c>ust_steps</c>) and train/eval modes.</summary>
    void BeginStep(long step);

    /// <summary>Forward pass and loss on one batch, in training mode; the result's tensors keep their graphs.</summary>
    LossResult ComputeLoss(ImageTextBatch batch);
}

/// <summary>A loss and its parts.</summary>
/// <param name="Terms">Every enabled term, already multiplied by its weight, by name (e.g. <c>tcli_loss</c>, <c>area_loss</c>); scalar tensors.</param>
/// <param name="Total">Sum of the terms (scalar tensor with a graph).</param>
public sealed record LossResult(IReadOnlyDictionary<string, Tensor> Terms, Tensor Total);
