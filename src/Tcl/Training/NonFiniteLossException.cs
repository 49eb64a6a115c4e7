namespace Tcl.Training;

/// <summary>
/// Training stopped because a loss term or the gradient norm was NaN or infinite. Nothing of that step was applied to
/// the weights; the checkpoints already written are intact, so the run can be resumed from the last one (e.g. with a
/// lower LR).
/// </summary>
public sealed class NonFiniteLossException(long step, string term, double value)
    : Exception($"Training stopped at step {step}: '{term}' is {value} (not finite). The weights of this step were not updated; " +
                "resume from the last checkpoint, e.g. with a lower learning rate.")
{
    /// <summary>The 0-based step.</summary>
    public long Step { get; } = step;

    /// <summary>The term (e.g. <c>tcli_loss</c>, <c>total</c>, <c>grad_norm</c>).</summary>
    public string Term { get; } = term;

    public double Value { get; } = value;
}
