using System.Text.Json;
using System.Text.Json.Serialization;
using Tcl.Data;
using Tcl.IO;
using static TorchSharp.torch;

namespace Tcl.Training;

/// <summary>What a checkpoint says besides its tensors (stored as JSON in the safetensors metadata).</summary>
/// <param name="FormatVersion">Version of this layout (<see cref="TrainingCheckpoint.CurrentVersion"/>).</param>
/// <param name="Step">Steps completed; a resumed run continues with this step.</param>
/// <param name="Cursor">Where the data stream stood after the last completed step.</param>
/// <param name="OptimizerSteps">AdamW's step count per parameter (0 for parameters not yet updated).</param>
/// <param name="SavedAtUtc">When it was written.</param>
/// <param name="RunConfig">The run's full configuration as the caller serialised it (JSON; may be null).</param>
public sealed record CheckpointInfo(
    int FormatVersion,
    long Step,
    DataCursor Cursor,
    IReadOnlyDictionary<string, long> OptimizerSteps,
    DateTime SavedAtUtc,
    string? RunConfig);

/// <summary>
/// A training checkpoint: one safetensors file holding the optimised weights (<c>model.NAME</c>, state-dict names —
/// for TCL exactly the keys of the released <c>tcl.pth</c>), AdamW's moments (<c>optimizer.exp_avg.NAME</c>,
/// <c>optimizer.exp_avg_sq.NAME</c>), the random generators (<c>rng.NAME</c>, uint8 states) and a JSON
/// <see cref="CheckpointInfo"/> (step, data cursor, per-parameter optimiser steps, run config). The LR schedule is a
/// function of the step, so it needs no state. Written atomically; read all-or-nothing.
/// </summary>
public static class TrainingCheckpoint
{
    public const int CurrentVersion = 1;
    public const string MetadataKey = "tcl.training_checkpoint";
    public const string ModelPrefix = "model.", OptimizerPrefix = "optimizer.", RngPrefix = "rng.";

    /// <summary>Appended to a checkpoint a resume found unreadable and set aside (kept for inspection, never read again).</summary>
    public const string CorruptSuffix = ".corrupt";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>File name of the checkpoint after <paramref name="step"/> completed steps.</summary>
    public static string FileName(long step) => $"checkpoint-{step:D7}.safetensors";

    /// <summary>Writes the state of a run after <paramref name="info"/>.Step steps to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, ITrainingObjective objective, AdamW optimizer, CheckpointInfo info)
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>();
        foreach (var (name, p) in objective.OptimizedParameters) tensors[ModelPrefix + name] = p;
        var (moments, steps) = optimizer.State();
        foreach (var (name, t) in moments) tensors[OptimizerPrefix + name] = t;
        foreach (var (name, g) in objective.Generators) tensors[RngPrefix + name] = g.get_state();
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [MetadataKey] = JsonSerializer.Serialize(info with { OptimizerSteps = steps }, Json),
        };
        SafetensorsFile.Write(path, tensors, metadata);
    }

    /// <summary>True when <paramref name="path"/> is a training checkpoint written by <see cref="Write"/>.</summary>
    public static bool IsCheckpoint(string path)
    {
        try { return SafetensorsFile.ReadMetadata(path).ContainsKey(MetadataKey); }
        catch (Exception e) when (e is InvalidDataException or IOException) { return false; }
    }

    /// <summary>The <see cref="CheckpointInfo"/> of a checkpoint file.</summary>
    /// <exception cref="CorruptCheckpointException">The file is cut short or its header is damaged.</exception>
    /// <exception cref="InvalidDataException">Not a training checkpoint, or of an unknown version; the message names the file.</exception>
    public static CheckpointInfo ReadInfo(string path)
    {
        if (Directory.Exists(path)) throw new InvalidDataException($"{path} is a folder; expected a checkpoint-*.safetensors file written by `tcl train`.");
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        IReadOnlyDictionary<string, string> metadata;
        try { metadata = SafetensorsFile.ReadMetadata(path); }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException and not FileNotFoundException)
        {
            throw Corrupt(path, e);
        }
        if (!metadata.TryGetValue(MetadataKey, out var json))
            throw new InvalidDataException($"{path}: not a TCL training checkpoint (its safetensors metadata has no '{MetadataKey}' entry). " +
                                           "To evaluate released weights use them as --tcl weights; to resume, pass a checkpoint-*.safetensors this toolkit wrote.");
        CheckpointInfo? info;
        try { info = JsonSerializer.Deserialize<CheckpointInfo>(json, Json); }
        catch (JsonException e) { throw Corrupt(path, e); }
        if (info is null) throw new CorruptCheckpointException(path, $"{path}: the '{MetadataKey}' entry is empty.");
        if (info.FormatVersion != CurrentVersion)
            throw new InvalidDataException($"{path}: checkpoint format version {info.FormatVersion}; this toolkit reads version {CurrentVersion}.");
        if (info.Cursor is null || info.OptimizerSteps is null)
            throw new InvalidDataException($"{path}: the '{MetadataKey}' entry lacks the data cursor or the optimizer steps.");
        return info;
    }

    /// <summary>
    /// Restores weights, optimiser state and generators from <paramref name="path"/> into a freshly built run. All of
    /// it is checked first (names, shapes) — on a mismatch nothing is changed.
    /// </summary>
    /// <exception cref="InvalidDataException">The checkpoint does not fit the objective; the message names the file and the entry.</exception>
    public static CheckpointInfo Restore(string path, ITrainingObjective objective, AdamW optimizer)
    {
        var info = ReadInfo(path);
        var all = LoadAll(path);
        try
        {
            var model = Section(all, ModelPrefix);
            var parameters = objective.OptimizedParameters.ToDictionary(p => p.Name, p => p.Parameter);
            var missing = parameters.Keys.Where(k => !model.ContainsKey(k)).ToList();
            var unexpected = model.Keys.Where(k => !parameters.ContainsKey(k)).ToList();
            var wrongShape = parameters.Where(kv => model.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape))
                .Select(kv => $"{kv.Key} [{string.Join(", ", model[kv.Key].shape)}] expected [{string.Join(", ", kv.Value.shape)}]").ToList();
            if (missing.Count + unexpected.Count + wrongShape.Count > 0)
                throw new InvalidDataException($"{path}: the checkpoint's weights do not fit this model. " +
                    $"Missing {List(missing)}; unexpected {List(unexpected)}; shape mismatches {List(wrongShape)}.");
            var rng = Section(all, RngPrefix);
            foreach (var (name, _) in objective.Generators)
                if (!rng.ContainsKey(name)) throw new InvalidDataException($"{path}: no state for the random generator '{name}' ({RngPrefix}{name}).");
            optimizer.LoadState(Section(all, OptimizerPrefix), info.OptimizerSteps, path);   // checks before changing anything
            using (no_grad())
                foreach (var (name, p) in parameters) p.copy_(model[name]);
            if (objective.Model is Tcl.Grounding.TclModel tcl) tcl.ResetInferenceCaches();
            foreach (var (name, g) in objective.Generators) g.set_state(rng[name]);
            return info;
        }
        finally
        {
            foreach (var t in all.Values) t.Dispose();
        }
    }

    /// <summary>
    /// The model weights of a checkpoint under their state-dict names (e.g. to evaluate a trained TCL); the caller
    /// disposes them.
    /// </summary>
    public static Dictionary<string, Tensor> ReadModelWeights(string path)
    {
        ReadInfo(path);
        var all = LoadAll(path);
        var model = Section(all, ModelPrefix);
        foreach (var (name, t) in all)
            if (!name.StartsWith(ModelPrefix, StringComparison.Ordinal)) t.Dispose();
        return model;
    }

    /// <summary>The checkpoint with the most steps in <paramref name="dir"/>, or null when there is none.</summary>
    public static string? Latest(string dir) => NewestFirst(dir).FirstOrDefault();

    /// <summary>The checkpoints of <paramref name="dir"/>, the one with the most steps first (empty when there is none).</summary>
    public static IReadOnlyList<string> NewestFirst(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "checkpoint-*.safetensors").Where(f => f.EndsWith(".safetensors", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).Reverse().ToList()
            : [];

    /// <summary>
    /// Renames an unreadable checkpoint to <c>NAME</c><see cref="CorruptSuffix"/>, so that the newest checkpoint of
    /// the folder is a readable one again (for <see cref="Latest"/>, evaluation, the next resume); returns the new path.
    /// Renamed rather than deleted: nothing already written is thrown away.
    /// </summary>
    public static string SetAside(string path)
    {
        var target = path + CorruptSuffix;
        File.Move(path, target, overwrite: true);
        return target;
    }

    /// <summary>Every tensor of the file; a file cut short or otherwise unreadable is a <see cref="CorruptCheckpointException"/>.</summary>
    private static Dictionary<string, Tensor> LoadAll(string path)
    {
        try
        {
            return TorchSharp.PyBridge.Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or JsonException or ArgumentException
                                      or FormatException or OverflowException or NotSupportedException or System.Runtime.InteropServices.ExternalException)
        {
            throw Corrupt(path, e);
        }
    }

    private static CorruptCheckpointException Corrupt(string path, Exception e)
    {
        long size = new FileInfo(path).Length;
        var why = e is EndOfStreamException
            ? $"the file ends before its tensors do ({size:N0} bytes: cut short by an interrupted copy or a full disk?)"
            : e is InvalidDataException && e.Message.StartsWith(path + ": ", StringComparison.Ordinal) ? e.Message[(path.Length + 2)..].TrimEnd('.')
            : $"{e.GetType().Name}: {e.Message.TrimEnd('.')}";
        return new CorruptCheckpointException(path, $"{path}: unreadable training checkpoint — {why}.", e);
    }

    private static string List(IReadOnlyCollection<string> names) =>
        names.Count == 0 ? "(none)" : $"({names.Count}): {string.Join(", ", names.Take(8))}{(names.Count > 8 ? $", … {names.Count - 8} more" : "")}";

    private static Dictionary<string, Tensor> Section(Dictionary<string, Tensor> all, string prefix) =>
        all.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
}
