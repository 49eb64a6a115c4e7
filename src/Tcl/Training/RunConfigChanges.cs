using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tcl.Training;

/// <summary>One field of a run config that differs between a checkpoint and the resuming run.</summary>
/// <param name="Field">JSON path of the field, e.g. <c>schedule.base_lr</c>.</param>
/// <param name="Saved">Its value in the checkpoint (JSON; <c>null</c> when missing).</param>
/// <param name="Current">Its value now.</param>
public sealed record RunConfigChange(string Field, string Saved, string Current)
{
    public override string ToString() => $"'{Field}' ({Saved} → {Current})";
}

/// <summary>
/// Compares the run config stored in a checkpoint with the config of the run that resumes from it. A few top-level
/// fields may change on resume because they do not change what is computed (<see cref="Resumable"/>); every other
/// difference (batch size, LR schedule, losses, shards, seed, augmentation, CLIP weights …) makes the resumed run a
/// different recipe, which the trainer refuses unless told otherwise.
/// </summary>
public static class RunConfigChanges
{
    /// <summary>
    /// Top-level fields that may differ on resume: <c>steps</c> (extending a run is the commonest resume — the LR
    /// schedule has its own <c>schedule.total_steps</c>, so more steps do not bend the curve already run),
    /// <c>output_dir</c> (a copied or moved run), <c>prefetch</c> (results do not depend on it),
    /// <c>checkpoint_every</c> and <c>keep_checkpoints</c> (what is saved, not what is trained).
    /// </summary>
    public static IReadOnlyList<string> Resumable { get; } = ["steps", "output_dir", "prefetch", "checkpoint_every", "keep_checkpoints"];

    /// <summary>Every differing leaf field of two run configs (JSON), in document order, <see cref="Resumable"/> ones included.</summary>
    public static IReadOnlyList<RunConfigChange> Compare(string saved, string current)
    {
        var changes = new List<RunConfigChange>();
        Walk("", Parse(saved), Parse(current), changes);
        return changes;
    }

    /// <summary>The changes of <paramref name="changes"/> that are not <see cref="Resumable"/>.</summary>
    public static IReadOnlyList<RunConfigChange> Significant(IEnumerable<RunConfigChange> changes) =>
        changes.Where(c => !Resumable.Contains(c.Field)).ToList();

    private static JsonNode? Parse(string json)
    {
        try { return JsonNode.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"A run config is not valid JSON: {e.Message}", e); }
    }

    private static void Walk(string path, JsonNode? a, JsonNode? b, List<RunConfigChange> changes)
    {
        if (a is JsonObject oa && b is JsonObject ob)
        {
            foreach (var key in oa.Select(kv => kv.Key).Union(ob.Select(kv => kv.Key)))
                Walk(path.Length == 0 ? key : $"{path}.{key}", oa[key], ob[key], changes);
            return;
        }
        if (!JsonNode.DeepEquals(a, b))
            changes.Add(new RunConfigChange(path, Show(a), Show(b)));
    }

    private static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString();
}
