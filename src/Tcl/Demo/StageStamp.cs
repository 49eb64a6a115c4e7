using System.Text.Json;
using System.Text.Json.Nodes;
using Tcl.IO;

namespace Tcl.Demo;

/// <summary>
/// The record a finished stage leaves in its folder (<c>stage.json</c>): the inputs it ran with (the parts of the
/// profile it depends on, upstream stages included) and what it produced. A later run with the same inputs can reuse
/// the folder instead of running the stage again; any difference in the inputs — or a missing or unreadable stamp —
/// means the stage runs. Written atomically and only after the stage finished, so an interrupted stage is never reused.
/// The stamp also names the build of this library that wrote it (its module version id, which deterministic builds
/// derive from the code): after any change to the library the stages run again instead of reusing stale results.
/// </summary>
public static class StageStamp
{
    /// <summary>The stamp's file name inside a stage folder.</summary>
    public const string FileName = "stage.json";

    /// <summary>The build of the library that writes and accepts stamps.</summary>
    public static string Build { get; } = typeof(StageStamp).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    /// <summary>The inputs as the JSON a stamp compares (snake_case, every field).</summary>
    public static JsonNode Inputs(object inputs) => JsonSerializer.SerializeToNode(inputs, ConfigJson.Options)
        ?? throw new ArgumentException("Stage inputs serialise to null.", nameof(inputs));

    /// <summary>
    /// The output recorded in <paramref name="folder"/> when its stamp has exactly <paramref name="inputs"/>, else
    /// <c>default</c> (no stamp, other inputs, or a stamp that does not parse as <typeparamref name="T"/>).
    /// </summary>
    public static T? Read<T>(string folder, JsonNode inputs) where T : class
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            var stamp = JsonNode.Parse(File.ReadAllText(path));
            if (stamp is null || (string?)stamp["library"] != Build || !JsonNode.DeepEquals(stamp["inputs"], inputs)) return null;
            return stamp["output"]?.Deserialize<T>(ConfigJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Records that the stage in <paramref name="folder"/> ran with <paramref name="inputs"/> and produced <paramref name="output"/>.</summary>
    public static void Write<T>(string folder, JsonNode inputs, T output)
    {
        Directory.CreateDirectory(folder);
        var stamp = new JsonObject
        {
            ["library"] = Build,
            ["inputs"] = inputs.DeepClone(),
            ["output"] = JsonSerializer.SerializeToNode(output, ConfigJson.Options),
        };
        AtomicFile.WriteText(Path.Combine(folder, FileName), stamp.ToJsonString(ConfigJson.Options));
    }
}
