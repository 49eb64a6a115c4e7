using System.Text.Json.Serialization;

namespace Tcl.Clip;

/// <summary>Architecture of CLIP's image tower (a ViT). OpenAI ViT-B/16 and the tiny fixture model are two values.</summary>
/// <param name="ImageResolution">Pre-training input side in pixels; sets the native positional grid (224 → 14×14).</param>
/// <param name="PatchSize">Side of the square patches of <c>conv1</c> (16 for ViT-B/16).</param>
/// <param name="Width">Token width of the transformer (768 for ViT-B/16).</param>
/// <param name="Layers">Number of residual attention blocks (12).</param>
/// <param name="Heads">Attention heads (OpenAI derives width / 64 = 12; the tiny fixture uses 4).</param>
public sealed record VisionConfig(
    int ImageResolution = 224,
    int PatchSize = 16,
    int Width = 768,
    int Layers = 12,
    int Heads = 12)
{
    /// <summary>Side of the native positional-embedding grid (14 for 224/16).</summary>
    [JsonIgnore] public int GridSize => ImageResolution / PatchSize;
}

/// <summary>Architecture of CLIP's text tower (a causal transformer over BPE tokens).</summary>
/// <param name="ContextLength">Maximum tokens per text, SOT and EOT included (77).</param>
/// <param name="VocabSize">BPE vocabulary size (49,408).</param>
/// <param name="Width">Token width (512 for ViT-B/16's text tower).</param>
/// <param name="Layers">Residual attention blocks (12).</param>
/// <param name="Heads">Attention heads (8 = width / 64).</param>
public sealed record TextConfig(
    int ContextLength = 77,
    int VocabSize = 49408,
    int Width = 512,
    int Layers = 12,
    int Heads = 8);

/// <summary>Full CLIP architecture: both towers and the shared embedding width.</summary>
/// <param name="EmbedDim">Width of the joint image-text embedding space (512 for ViT-B/16).</param>
/// <param name="Vision">The image tower.</param>
/// <param name="Text">The text tower.</param>
public sealed record ClipConfig(int EmbedDim, VisionConfig Vision, TextConfig Text)
{
    /// <summary>OpenAI CLIP ViT-B/16 (<c>ViT-B-16.pt</c>), the backbone of TCL.</summary>
    public static ClipConfig ViTB16 { get; } = new(512, new VisionConfig(), new TextConfig());

    /// <summary>
    /// Heads as OpenAI's <c>build_model</c> derives them: width / 64 in both towers (at least 1). Small models whose
    /// head count is not width / 64 must state it explicitly.
    /// </summary>
    public static int DefaultHeads(int width) => Math.Max(1, width / 64);
}
