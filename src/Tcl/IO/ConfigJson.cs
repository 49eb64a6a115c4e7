using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tcl.IO;

/// <summary>
/// How the toolkit's configuration files (training configs, evaluation protocols) are read and written: snake_case
/// names matched case-insensitively, comments and trailing commas allowed, unknown fields and missing constructor
/// fields refused — so a typo is an error naming the field, not a silently ignored setting.
/// </summary>
public static class ConfigJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        WriteIndented = true,
        // Nulls are written: an omitted field reads back as its default, and several defaults are not null
        // (e.g. augment.rand_augment), so leaving nulls out would not round-trip.
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Reads a config file of type <typeparamref name="T"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file is, for messages (e.g. "Training config").</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Unreadable JSON, an unknown or missing field; the message names the file and the field.</exception>
    public static T Read<T>(string path, string what) where T : class
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{what} '{path}' does not exist.", path);
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                   ?? throw new InvalidDataException($"{path}: the file holds no {what.ToLowerInvariant()} (null).");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {(e.Path is { Length: > 0 } p ? $"field '{p}': " : "")}{e.Message}", e);
        }
    }
}
