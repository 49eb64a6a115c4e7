using static TorchSharp.torch;

namespace Tcl.Clip.Weights;

/// <summary>A floating weight holding NaN or ±∞ values.</summary>
/// <param name="Key">State-dict name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="NaNs">How many values are NaN.</param>
/// <param name="Infinities">How many values are +∞ or −∞.</param>
public sealed record NonFiniteTensor(string Key, long[] Shape, long NaNs, long Infinities)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Key} [{string.Join(",", Shape)}]: {NaNs} NaN, {Infinities} ±inf of {Shape.Aggregate(1L, (a, b) => a * b)} values";
}

/// <summary>
/// Refuses weights with NaN or ±∞ values. Such a file loads without complaint and still produces plausible-looking
/// masks (one NaN in a CLIP block turns whole windows into the first class), so the scores it gives look real; the
/// check runs at load time on every floating tensor, whatever its name. Cost: one <c>isfinite().all()</c> per tensor
/// (a byte per value, freed at once), i.e. ~0.1 s for ViT-B/16 on two cores; the counts are computed only for
/// tensors that fail.
/// </summary>
public static class NonFiniteWeights
{
    /// <summary>Every floating tensor of <paramref name="weights"/> with a NaN or ±∞, in name order.</summary>
    public static IReadOnlyList<NonFiniteTensor> Find(IEnumerable<KeyValuePair<string, Tensor>> weights)
    {
        var found = new List<NonFiniteTensor>();
        foreach (var (key, tensor) in weights.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!tensor.is_floating_point()) continue;
            using var scope = NewDisposeScope();
            if (isfinite(tensor).all().item<bool>()) continue;
            long nans = isnan(tensor).sum().item<long>();
            long infinities = isinf(tensor).sum().item<long>();
            found.Add(new NonFiniteTensor(key, tensor.shape, nans, infinities));
        }
        return found;
    }

    /// <summary>Throws when any floating tensor of <paramref name="weights"/> is not finite, naming each one.</summary>
    /// <param name="weights">The weights as read.</param>
    /// <param name="source">The file they came from, named in the message.</param>
    /// <exception cref="WeightLoadException">At least one tensor holds NaN or ±∞.</exception>
    public static void Require(IReadOnlyDictionary<string, Tensor> weights, string? source)
    {
        var bad = Find(weights);
        if (bad.Count > 0) throw WeightLoadException.ForNonFinite(source, bad);
    }
}
