using Tcl.Evaluation;
using Tcl.Training;

namespace Tcl.Demo;

/// <summary>The stages of a demo run, in order.</summary>
public enum DemoStage
{
    /// <summary>Training shards and synthetic benchmarks written.</summary>
    World,

    /// <summary>CLIP pre-trained from scratch and exported.</summary>
    Clip,

    /// <summary>TCL trained on the frozen CLIP.</summary>
    Tcl,

    /// <summary>TCL and the MaskCLIP baseline evaluated on every synthetic benchmark.</summary>
    Evaluate,

    /// <summary>Results table, charts and overlays written.</summary>
    Report,
}

/// <summary>Progress of a demo run.</summary>
/// <param name="Stage">The stage running.</param>
/// <param name="Message">One line on what just happened (stage start or end, a benchmark written or evaluated); with
/// <paramref name="Training"/> the name of the run (the stage, or e.g. <c>ablation E</c>).</param>
/// <param name="Training">The training step just completed (stages <see cref="DemoStage.Clip"/>, <see cref="DemoStage.Tcl"/>).</param>
/// <param name="Evaluation">The image just evaluated (stage <see cref="DemoStage.Evaluate"/>), with its benchmark and method in <paramref name="Message"/>.</param>
public sealed record DemoProgress(DemoStage Stage, string Message, TrainingProgress? Training = null, EvaluationProgress? Evaluation = null);

/// <summary>Wall time of one stage.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Seconds">Wall time (0 when reused).</param>
/// <param name="Reused">The stage's folder was kept from an earlier run with the same inputs.</param>
public sealed record DemoStageTime(DemoStage Stage, double Seconds, bool Reused = false);
