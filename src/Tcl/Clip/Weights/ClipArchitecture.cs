using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace Tcl.Clip.Weights;

/// <summary>
/// Derives a <see cref="ClipConfig"/> from an OpenAI-named state dict, the way OpenAI's <c>build_model</c> does, so a
/// model can be built to fit any ViT CLIP checkpoint (ViT-B/16, the tiny fixtures, other sizes) without a table of
/// known models. What the weights do not determine is the number of attention heads: <c>build_model</c> assumes
/// width / 64, which is right for OpenAI's models but not for small ones, hence the explicit overrides.
/// </summary>
public static partial class ClipArchitecture
{
    /// <summary>Keys whose shapes carry the architecture (see <see cref="Infer"/>).</summary>
    public static IReadOnlyList<string> RequiredKeys { get; } =
    [
        "visual.conv1.weight", "visual.positional_embedding", "text_projection", "positional_embedding",
        "token_embedding.weight", "ln_final.weight",
    ];

    [GeneratedRegex(@"^(visual\.)?transformer\.resblocks\.(\d+)\.")]
    private static partial Regex ResblockKey();

    /// <summary>
    /// The architecture of <paramref name="stateDict"/>:
    /// vision width and patch size from <c>visual.conv1.weight</c> [width, 3, patch, patch]; the native grid from
    /// <c>visual.positional_embedding</c> [1 + grid², width] and image resolution = patch × grid; layers from the
    /// <c>resblocks.{i}</c> indices of each tower; embed dim from <c>text_projection</c> [text width, embed];
    /// context length from <c>positional_embedding</c>, vocabulary from <c>token_embedding.weight</c>, text width
    /// from <c>ln_final.weight</c>. Heads default to <see cref="ClipConfig.DefaultHeads"/>.
    /// </summary>
    /// <param name="stateDict">OpenAI-named weights (as <see cref="StateDictReader"/> returns them).</param>
    /// <param name="visionHeads">Heads of the image tower when not width / 64 (the weights cannot tell).</param>
    /// <param name="textHeads">Heads of the text tower when not width / 64.</param>
    /// <param name="source">The file the weights came from, for error messages.</param>
    /// <exception cref="WeightLoadException">A key needed for inference is missing or has an unexpected shape, the
    /// checkpoint is a ResNet CLIP, or a head count does not divide its width.</exception>
    public static ClipConfig Infer(IReadOnlyDictionary<string, Tensor> stateDict, int? visionHeads = null,
        int? textHeads = null, string? source = null)
    {
        if (stateDict.Keys.Any(k => k.StartsWith("visual.layer1.", StringComparison.Ordinal)))
            throw new WeightLoadException(source,
                "this is a ResNet CLIP (visual.layer1.* present); only ViT CLIP models (visual.conv1 + transformer) are supported.");
        var missing = RequiredKeys.Where(k => !stateDict.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new WeightLoadException(source,
                $"cannot infer the CLIP architecture: missing {string.Join(", ", missing)} " +
                $"(expected a ViT CLIP state dict with OpenAI names; found {stateDict.Count} keys" +
                (stateDict.Count > 0 ? $", e.g. {WeightLoadException.CappedList(stateDict.Keys.Take(5).ToList())})." : ")."));

        var conv1 = Shape(stateDict, "visual.conv1.weight", 4, source);              // [width, 3, patch, patch]
        var visualPos = Shape(stateDict, "visual.positional_embedding", 2, source);  // [1 + grid², width]
        var textProjection = Shape(stateDict, "text_projection", 2, source);         // [text width, embed]
        var textPos = Shape(stateDict, "positional_embedding", 2, source);           // [context, text width]
        var tokens = Shape(stateDict, "token_embedding.weight", 2, source);          // [vocab, text width]
        var lnFinal = Shape(stateDict, "ln_final.weight", 1, source);                // [text width]

        int visionWidth = (int)conv1[0], patch = (int)conv1[^1];
        long gridCells = visualPos[0] - 1;
        int grid = (int)Math.Round(Math.Sqrt(gridCells));
        if (grid < 1 || (long)grid * grid != gridCells)
            throw new WeightLoadException(source,
                $"visual.positional_embedding has {visualPos[0]} rows; expected 1 + grid² for a square patch grid.");

        var (visionLayers, textLayers) = CountLayers(stateDict.Keys, source);
        int textWidth = (int)lnFinal[0];
        var vision = new VisionConfig(
            ImageResolution: patch * grid,
            PatchSize: patch,
            Width: visionWidth,
            Layers: visionLayers,
            Heads: CheckedHeads(visionHeads, visionWidth, "vision", source));
        var text = new TextConfig(
            ContextLength: (int)textPos[0],
            VocabSize: (int)tokens[0],
            Width: textWidth,
            Layers: textLayers,
            Heads: CheckedHeads(textHeads, textWidth, "text", source));
        return new ClipConfig((int)textProjection[1], vision, text);
    }

    /// <summary>Blocks per tower from the distinct <c>resblocks.{i}</c> indices, which must run 0 … n−1.</summary>
    private static (int Vision, int Text) CountLayers(IEnumerable<string> keys, string? source)
    {
        var vision = new SortedSet<int>();
        var text = new SortedSet<int>();
        foreach (var key in keys)
        {
            var match = ResblockKey().Match(key);
            if (match.Success) (match.Groups[1].Success ? vision : text).Add(int.Parse(match.Groups[2].Value));
        }
        return (Contiguous(vision, "visual.transformer.resblocks", source), Contiguous(text, "transformer.resblocks", source));
    }

    private static int Contiguous(SortedSet<int> indices, string name, string? source)
    {
        if (indices.Count == 0)
            throw new WeightLoadException(source, $"cannot infer the CLIP architecture: no {name}.{{i}}.* keys.");
        if (indices.Min != 0 || indices.Max != indices.Count - 1)
            throw new WeightLoadException(source,
                $"{name} indices are not 0…{indices.Count - 1}: found {string.Join(", ", indices)}.");
        return indices.Count;
    }

    private static int CheckedHeads(int? heads, int width, string tower, string? source)
    {
        int value = heads ?? ClipConfig.DefaultHeads(width);
        if (value < 1 || width % value != 0)
            throw new WeightLoadException(source, $"{tower} heads = {value} must be ≥ 1 and divide the {tower} width {width}.");
        return value;
    }

    private static long[] Shape(IReadOnlyDictionary<string, Tensor> stateDict, string key, int rank, string? source)
    {
        var shape = stateDict[key].shape;
        if (shape.Length != rank)
            throw new WeightLoadException(source,
                $"{key} has shape [{string.Join(",", shape)}]; expected {rank} dimensions as in OpenAI's CLIP.");
        return shape;
    }
}
