namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// How a benchmark's ground truth enters the metric and which classes are prompted (official dataset configs
/// <c>segmentation/configs/_base_/datasets/</c>; mmseg 0.27 <c>mean_iou</c>). These are dataset properties, separate
/// from <see cref="EvaluationProtocol"/> (which holds the method's inference settings), because the same protocol runs
/// on all 8 benchmarks.
/// </summary>
/// <param name="WithBackground">
/// Class 0 is <c>background</c>: it is not prompted, its score is the protocol's constant background threshold, and it
/// counts as a regular class in the mIoU.
/// </param>
/// <param name="NumPrompted">How many class names become text prompts (classes minus the background, if any).</param>
/// <param name="ReduceZeroLabel">GT 0 becomes ignored (255) and every other value v becomes v − 1 before scoring.</param>
/// <param name="IgnoreIndex">GT value excluded from the metric (255).</param>
public sealed record BenchmarkEvaluationSettings(bool WithBackground, int NumPrompted, bool ReduceZeroLabel, int IgnoreIndex);
