using System.Text;

namespace Tcl.Clip.Weights;

/// <summary>A module parameter whose shape differs from the weight of the same name.</summary>
/// <param name="Key">State-dict name (after any selection prefix was removed).</param>
/// <param name="ModuleShape">Shape the module expects.</param>
/// <param name="WeightShape">Shape found in the weights.</param>
public sealed record ShapeMismatch(string Key, long[] ModuleShape, long[] WeightShape)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Key}: module [{string.Join(",", ModuleShape)}], weights [{string.Join(",", WeightShape)}]";
}

/// <summary>
/// Any failure to import CLIP weights: an unreadable or unrecognised file, weights that do not describe a CLIP
/// model, or weights that do not fit a module. The message always names the file (when known) and says what was
/// expected, because the typical cause is a wrong path or a checkpoint of another model, and the user must be able
/// to act on the message alone. When thrown by <see cref="StateDictLoading"/>, nothing has been copied.
/// </summary>
public sealed class WeightLoadException : Exception
{
    /// <summary>How many names each list in a message shows before it is cut short ("… and N more").</summary>
    public const int ListedNamesPerProblem = 10;

    /// <summary>The weight file involved, or null when the weights did not come from a file.</summary>
    public string? FilePath { get; }

    /// <summary>Module entries absent from the weights (empty unless thrown by a strict load).</summary>
    public IReadOnlyList<string> MissingKeys { get; } = [];

    /// <summary>Weights with no module entry of that name (empty unless thrown by a strict load).</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; } = [];

    /// <summary>Entries present on both sides with different shapes (empty unless thrown by a strict load).</summary>
    public IReadOnlyList<ShapeMismatch> ShapeMismatches { get; } = [];

    /// <summary>Tensors holding NaN or ±∞ (empty unless thrown by <see cref="NonFiniteWeights.Require"/>).</summary>
    public IReadOnlyList<NonFiniteTensor> NonFiniteTensors { get; private init; } = [];

    /// <summary>A failure described by <paramref name="problem"/>; the message is prefixed with the file name.</summary>
    public WeightLoadException(string? filePath, string problem, Exception? inner = null)
        : base(Prefix(filePath) + problem, inner)
    {
        FilePath = filePath;
    }

    private WeightLoadException(string? filePath, string message, IReadOnlyList<string> missing,
        IReadOnlyList<string> unexpected, IReadOnlyList<ShapeMismatch> mismatches)
        : base(message)
    {
        FilePath = filePath;
        MissingKeys = missing;
        UnexpectedKeys = unexpected;
        ShapeMismatches = mismatches;
    }

    /// <summary>
    /// The error of a strict load: every missing key, unexpected key and shape mismatch, each list capped at
    /// <see cref="ListedNamesPerProblem"/> names with the full count, so a wrong checkpoint for ViT-B/16 (hundreds of
    /// keys) still gives a readable message.
    /// </summary>
    public static WeightLoadException ForMismatch(string? filePath, string moduleName, IReadOnlyList<string> missing,
        IReadOnlyList<string> unexpected, IReadOnlyList<ShapeMismatch> mismatches)
    {
        var text = new StringBuilder();
        int problems = missing.Count + unexpected.Count + mismatches.Count;
        text.Append(Prefix(filePath))
            .Append($"the weights do not fit {moduleName} ({problems} problem{(problems == 1 ? "" : "s")}); nothing was loaded.");
        AppendList(text, "missing keys (in the module, not in the weights)", missing);
        AppendList(text, "unexpected keys (in the weights, not in the module)", unexpected);
        AppendList(text, "shape mismatches", mismatches.Select(m => m.ToString()).ToList());
        return new WeightLoadException(filePath, text.ToString(), missing, unexpected, mismatches);
    }

    /// <summary>The error for weights with NaN or ±∞ values: every such tensor (capped like the other lists).</summary>
    public static WeightLoadException ForNonFinite(string? filePath, IReadOnlyList<NonFiniteTensor> tensors)
    {
        var text = new StringBuilder();
        text.Append(Prefix(filePath))
            .Append($"{tensors.Count} tensor{(tensors.Count == 1 ? " holds" : "s hold")} NaN or infinite values ({tensors[0].Key} first); ")
            .Append("refusing to load them (a corrupted or diverged checkpoint scores plausible but meaningless results).");
        AppendList(text, "non-finite tensors", tensors.Select(t => t.ToString()).ToList());
        return new WeightLoadException(filePath, text.ToString(), [], [], []) { NonFiniteTensors = tensors };
    }

    /// <summary>"name1, name2, … and N more" for at most <see cref="ListedNamesPerProblem"/> names.</summary>
    public static string CappedList(IReadOnlyCollection<string> names)
    {
        var shown = string.Join(", ", names.Take(ListedNamesPerProblem));
        return names.Count > ListedNamesPerProblem ? $"{shown}, … and {names.Count - ListedNamesPerProblem} more" : shown;
    }

    private static void AppendList(StringBuilder text, string title, IReadOnlyList<string> names)
    {
        if (names.Count == 0) return;
        text.AppendLine().Append($"  {title} ({names.Count}):");
        foreach (var name in names.Take(ListedNamesPerProblem)) text.AppendLine().Append("    ").Append(name);
        if (names.Count > ListedNamesPerProblem)
            text.AppendLine().Append($"    … and {names.Count - ListedNamesPerProblem} more");
    }

    private static string Prefix(string? filePath) => filePath is null ? "" : $"'{filePath}': ";
}
