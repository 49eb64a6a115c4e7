namespace Tcl.Clip;

/// <summary>
/// CLIP architectures besides OpenAI's own (<see cref="ClipConfig.ViTB16"/>): small models trained from scratch by
/// <see cref="Tcl.Training.ClipPretrainingObjective"/> as the stand-in for OpenAI's CLIP on the synthetic world.
/// </summary>
public static class ClipPresets
{
    /// <summary>
    /// A small CLIP for the synthetic world (~10 M parameters, most of them the 49,408 × 128 token embedding):
    /// 64-px images in 8-px patches (8×8 grid), a 4-layer 128-wide ViT with 4 heads; a 3-layer 128-wide text tower
    /// with 4 heads over the real CLIP BPE vocabulary (49,408 tokens, context 77, so the real tokenizer applies); a
    /// 128-d joint embedding. The heads are not width / 64, so importing weights of this shape needs
    /// <c>ClipWeights.Read(path, visionHeads: 4, textHeads: 4)</c> (<see cref="SyntheticSmallHeads"/>).
    /// </summary>
    public static ClipConfig SyntheticSmall { get; } = new(
        EmbedDim: 128,
        Vision: new VisionConfig(ImageResolution: 64, PatchSize: 8, Width: 128, Layers: 4, Heads: 4),
        Text: new TextConfig(ContextLength: 77, VocabSize: 49408, Width: 128, Layers: 3, Heads: 4));

    /// <summary>Head counts of <see cref="SyntheticSmall"/> (vision, text), to pass to the weight importer.</summary>
    public static (int Vision, int Text) SyntheticSmallHeads => (SyntheticSmall.Vision.Heads, SyntheticSmall.Text.Heads);
}
