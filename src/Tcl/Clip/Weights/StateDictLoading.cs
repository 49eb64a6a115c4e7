using static TorchSharp.torch;

namespace Tcl.Clip.Weights;

/// <summary>
/// Which part of a weight dictionary a load uses. The default takes every weight. TCL copies CLIP into a larger
/// model: its frozen text tower is loaded from the text keys of a full CLIP dict, its image tower from the
/// <c>visual.</c> keys, so a load must be able to look at a sub-tree and to skip names on purpose.
/// </summary>
/// <param name="Prefix">Only weights whose names start with this are used, with it removed: <c>"visual."</c> loads
/// a vision tower (whose own keys are <c>conv1.weight</c>, …) from a full CLIP dict. Weights outside the prefix are
/// not "unexpected", just not part of this load.</param>
/// <param name="Ignore">Names (after removing the prefix) that may be missing from the weights or absent from the
/// module without error; they are not copied. Null ignores nothing.</param>
public sealed record WeightSelection(string Prefix = "", Func<string, bool>? Ignore = null)
{
    /// <summary>Everything, strictly.</summary>
    public static WeightSelection All { get; } = new();

    /// <summary>The weights under <paramref name="prefix"/>, strictly.</summary>
    public static WeightSelection Under(string prefix) => new(prefix);

    /// <summary>Everything except names starting with any of <paramref name="prefixes"/> (e.g. <c>"visual."</c>
    /// and <c>"logit_scale"</c> to load only the text tower of a full CLIP dict).</summary>
    public static WeightSelection Except(params string[] prefixes) =>
        new(Ignore: name => prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)));

    internal bool Skips(string name) => Ignore?.Invoke(name) ?? false;
}

/// <summary>What a successful strict load copied.</summary>
/// <param name="Source">The weight file (null when the weights came from memory).</param>
/// <param name="Format">The file's format, when known.</param>
/// <param name="TensorsLoaded">Number of module tensors (parameters and persistent buffers) overwritten.</param>
/// <param name="ParameterCount">Number of scalar values copied, i.e. the summed element counts.</param>
/// <param name="SkippedKeys">Names passed over because of <see cref="WeightSelection.Ignore"/> (module or weights
/// side), sorted.</param>
public sealed record WeightLoadReport(string? Source, WeightFormat? Format, int TensorsLoaded, long ParameterCount,
    IReadOnlyList<string> SkippedKeys);

/// <summary>
/// Strict, all-or-nothing copying of weights into a TorchSharp module by state-dict name. PyTorch's
/// <c>load_state_dict(strict=True)</c> raises on a mismatch too, but only after copying whatever matched; here the
/// whole comparison happens first and a mismatch copies nothing, so a failed load never leaves a half-initialised
/// model behind (a frozen CLIP with a few random layers would run and silently produce garbage).
/// </summary>
public static class StateDictLoading
{
    /// <summary>
    /// Copies <paramref name="weights"/> into <paramref name="module"/>'s parameters and persistent buffers (under
    /// <c>no_grad</c>, keeping the module's dtype and device). Every module entry must have a weight of the same
    /// shape and every weight a module entry, apart from what <paramref name="selection"/> excludes.
    /// </summary>
    /// <param name="module">Target; its <c>state_dict()</c> names are compared with the weight names.</param>
    /// <param name="weights">OpenAI-named tensors (e.g. <see cref="ClipCheckpoint.StateDict"/>); not modified.</param>
    /// <param name="source">File the weights came from, named in errors and in the report.</param>
    /// <param name="selection">Prefix and ignorable names; null = everything, strictly.</param>
    /// <param name="format">The weights' file format, recorded in the report.</param>
    /// <exception cref="WeightLoadException">Missing keys, unexpected keys or shape mismatches; nothing was copied.</exception>
    public static WeightLoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string? source = null,
        WeightSelection? selection = null, WeightFormat? format = null)
    {
        selection ??= WeightSelection.All;
        var (target, candidates, skipped, problem) = Compare(module, weights, source, selection);
        if (problem is not null) throw problem;

        long copied = 0;
        using (no_grad())
        {
            foreach (var (name, tensor) in target)
            {
                if (selection.Skips(name)) continue;
                tensor.copy_(candidates[name]);
                copied += tensor.numel();
            }
        }
        return new WeightLoadReport(source, format, target.Count - target.Keys.Count(selection.Skips), copied, skipped.ToList());
    }

    /// <summary>
    /// What a strict <see cref="Load(nn.Module, IReadOnlyDictionary{string, Tensor}, string?, WeightSelection?, WeightFormat?)"/>
    /// would refuse, without copying anything: the error it would throw (missing keys, unexpected keys, shape
    /// mismatches), or null when the weights fit. <c>tcl inspect-weights</c> reports it.
    /// </summary>
    public static WeightLoadException? Check(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string? source = null,
        WeightSelection? selection = null) =>
        Compare(module, weights, source, selection ?? WeightSelection.All).Problem;

    private static (Dictionary<string, Tensor> Target, Dictionary<string, Tensor> Candidates, SortedSet<string> Skipped, WeightLoadException? Problem)
        Compare(nn.Module module, IReadOnlyDictionary<string, Tensor> weights, string? source, WeightSelection selection)
    {
        var target = module.state_dict();
        var skipped = new SortedSet<string>(StringComparer.Ordinal);

        var candidates = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in weights)
        {
            if (!key.StartsWith(selection.Prefix, StringComparison.Ordinal)) continue;
            var name = key[selection.Prefix.Length..];
            if (selection.Skips(name)) skipped.Add(name);
            else candidates[name] = tensor;
        }

        var missing = new List<string>();
        var mismatches = new List<ShapeMismatch>();
        foreach (var (name, tensor) in target)
        {
            if (selection.Skips(name)) { skipped.Add(name); continue; }
            if (!candidates.TryGetValue(name, out var weight)) missing.Add(name);
            else if (!tensor.shape.SequenceEqual(weight.shape)) mismatches.Add(new ShapeMismatch(name, tensor.shape, weight.shape));
        }
        var unexpected = candidates.Keys.Where(name => !target.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        var problem = missing.Count + unexpected.Count + mismatches.Count > 0
            ? WeightLoadException.ForMismatch(source, module.GetName(), missing, unexpected, mismatches)
            : null;
        return (target, candidates, skipped, problem);
    }

    /// <summary>Loads a whole checkpoint (see the other overload); source and format come from the checkpoint.</summary>
    public static WeightLoadReport Load(nn.Module module, ClipCheckpoint checkpoint, WeightSelection? selection = null) =>
        Load(module, checkpoint.StateDict, checkpoint.Path, selection, checkpoint.Format);
}
