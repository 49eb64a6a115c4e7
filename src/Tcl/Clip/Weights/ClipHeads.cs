using System.Globalization;
using Tcl.IO;

namespace Tcl.Clip.Weights;

/// <summary>Where a tower's attention-head count came from (the one architecture number weights cannot show:
/// <c>in_proj_weight</c> is [3·width, width] whatever the split into heads).</summary>
public enum HeadsSource
{
    /// <summary>Given by the caller (<c>--vision-heads</c>/<c>--text-heads</c>, a config's <c>vision_heads</c>).</summary>
    Given,

    /// <summary>Stored in the weight file: the <c>vision_heads</c>/<c>text_heads</c> metadata that
    /// <see cref="ClipWeightsWriter"/> writes into safetensors.</summary>
    FileMetadata,

    /// <summary>An OpenAI TorchScript archive: OpenAI's <c>build_model</c> defines heads as width / 64, so the rule is
    /// the truth for these files.</summary>
    OpenAiRule,

    /// <summary>Nothing says: width / 64 is assumed (right for every released OpenAI and open_clip ViT, wrong for
    /// small models trained with other head counts).</summary>
    Assumed,
}

/// <summary>Reads the head counts a CLIP weight file states, and says where the counts in use came from.</summary>
public static class ClipHeads
{
    /// <summary>The head counts <paramref name="path"/> states (safetensors metadata), or nulls when it states none.</summary>
    /// <exception cref="WeightLoadException">A stored count is not a positive integer; the message names the key.</exception>
    public static (int? Vision, int? Text) Stored(string path)
    {
        if (CheckpointSniffer.Detect(path) != CheckpointContainer.Safetensors) return (null, null);
        IReadOnlyDictionary<string, string> metadata;
        try { metadata = SafetensorsFile.ReadMetadata(path); }
        catch (InvalidDataException) { return (null, null); }   // the reader reports a damaged header itself
        return (Parse(metadata, ClipWeightsWriter.VisionHeadsKey, path), Parse(metadata, ClipWeightsWriter.TextHeadsKey, path));
    }

    /// <summary>Where a head count comes from when the caller gives <paramref name="given"/> (or null) for a file of
    /// <paramref name="format"/> that stores <paramref name="stored"/> (or null).</summary>
    public static HeadsSource SourceOf(int? given, int? stored, WeightFormat format) =>
        given.HasValue ? HeadsSource.Given
        : stored.HasValue ? HeadsSource.FileMetadata
        : format == WeightFormat.OpenAiTorchScript ? HeadsSource.OpenAiRule
        : HeadsSource.Assumed;

    /// <summary>True when nothing but the width / 64 assumption gives the heads of <paramref name="path"/>'s model:
    /// no count given, none stored in the file, and the file is not one of OpenAI's archives.</summary>
    public static bool OnlyAssumed(string path, int? visionHeads, int? textHeads)
    {
        if (visionHeads.HasValue && textHeads.HasValue) return false;
        if (CheckpointSniffer.Detect(path) == CheckpointContainer.TorchScriptArchive) return false;
        var (vision, text) = Stored(path);
        return (visionHeads ?? vision) is null || (textHeads ?? text) is null;
    }

    private static int? Parse(IReadOnlyDictionary<string, string> metadata, string key, string path)
    {
        if (!metadata.TryGetValue(key, out var text)) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= 1) return value;
        throw new WeightLoadException(path, $"safetensors metadata '{key}' is \"{text}\"; expected a positive head count.");
    }
}
