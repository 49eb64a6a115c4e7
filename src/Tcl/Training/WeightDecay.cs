namespace Tcl.Training;

/// <summary>
/// The official weight-decay grouping (<c>set_weight_decay</c>, <c>utils/optimizer.py</c>): decay every parameter that
/// is not 1-D and whose name does not end in <c>.bias</c>. The rule exempts LayerNorm weights and biases but — a quirk
/// kept for parity — decays the 0-D scalars (<c>sim2mask.w</c>, <c>sim2mask.b</c>, every <c>gate.gate</c>, both
/// <c>logit_scale</c>).
/// </summary>
public static class WeightDecay
{
    /// <summary>True when the parameter <paramref name="name"/> of shape <paramref name="shape"/> is decayed.</summary>
    public static bool IsDecayed(string name, IReadOnlyList<long> shape) =>
        shape.Count != 1 && !name.EndsWith(".bias", StringComparison.Ordinal);
}
