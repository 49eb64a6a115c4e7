using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tcl.IO;

namespace Tcl.Training;

/// <summary>
/// The per-step metrics log, one JSON object per line (<c>metrics.jsonl</c>): step, LR, total loss, every weighted
/// term, gradient norm, step time and data counters — readable by a DataFrame, pandas or <c>jq</c>. Lines are flushed
/// as they are written, so a crash loses at most the step in flight. Opening the log to resume a run first drops the
/// lines of steps at or after the checkpoint (they belong to the interrupted run and will be run again), so the log
/// of a resumed run reads like that of an uninterrupted one.
/// </summary>
public sealed class MetricsLog : IDisposable
{
    private readonly StreamWriter _writer;

    /// <param name="path">The log file; created (with its folder) when absent.</param>
    /// <param name="firstStep">The step this run starts with: existing lines of this step or later are dropped.</param>
    public MetricsLog(string path, long firstStep)
    {
        Path = path;
        if (File.Exists(path)) KeepBefore(path, firstStep);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
    }

    public string Path { get; }

    /// <summary>Appends one line.</summary>
    public void Write(JsonObject entry)
    {
        _writer.WriteLine(entry.ToJsonString());
        _writer.Flush();
    }

    /// <summary>The entries of a log file (e.g. for charts), in order.</summary>
    public static IReadOnlyList<JsonObject> Read(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select((l, i) => JsonNode.Parse(l) as JsonObject
            ?? throw new InvalidDataException($"{path}: line {i + 1} is not a JSON object.")).ToList();

    private static void KeepBefore(string path, long firstStep)
    {
        var kept = new StringBuilder();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            long step;
            try { step = JsonNode.Parse(line)?["step"]?.GetValue<long>() ?? long.MaxValue; }
            catch (JsonException) { break; }          // a line torn by a crash: it and anything after it go
            if (step >= firstStep) break;
            kept.Append(line).Append('\n');
        }
        AtomicFile.WriteText(path, kept.ToString());
    }

    public void Dispose() => _writer.Dispose();
}
