using Tcl.Losses;
using TorchSharp;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Grounding;

/// <summary>Masks of one training batch (official <c>Masker.forward</c>); B images, N = B texts, H'×W' the mask
/// grid.</summary>
/// <param name="Embedding">Dense embedding E, un-normalised, <c>[B, embed, H', W']</c>.</param>
/// <param name="Similarity">Cosine similarity of every pixel with every text, <c>[B, N, H', W']</c>.</param>
/// <param name="SoftAll">Soft masks <c>σ(w·s + b)</c> for all pairs, <c>[B, N, H', W']</c>.</param>
/// <param name="HardAll">Straight-through Gumbel hard masks for all pairs, <c>[B, N, H', W']</c> (null without noise).</param>
/// <param name="Positive">Hard mask of each image with its own caption, <c>[B, 1, H', W']</c> (null without noise).</param>
/// <param name="SoftPositive">Soft mask of each image with its own caption, <c>[B, 1, H', W']</c>.</param>
/// <param name="SoftNegative">Soft masks with the other captions, order kept, <c>[B, N − 1, H', W']</c>.</param>
/// <param name="BackboneTokens">Output of the grounder's blocks, <c>[B, 1 + h·w, width]</c>.</param>
public sealed record GroundingMasks(Tensor Embedding, Tensor Similarity, Tensor SoftAll, Tensor? HardAll,
    Tensor? Positive, Tensor SoftPositive, Tensor SoftNegative, Tensor BackboneTokens);

/// <summary>
/// The grounder (official <c>masker</c>): <c>image_encoder</c> (block copies + decoder + image_proj) produces the
/// dense embedding E; <c>sim2mask</c> turns its cosine similarity with each text into a mask.
/// </summary>
public sealed class Masker : nn.Module<Tensor, Tensor>
{
    public GrounderImageEncoder image_encoder;
    public Sim2Mask sim2mask;

    public Masker(GrounderImageEncoder imageEncoder, Sim2Mask sim2Mask) : base("masker")
    {
        image_encoder = imageEncoder;
        sim2mask = sim2Mask;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        throw new NotSupportedException("Use Ground(...) or Similarity(...): the masker needs the tapped tokens and the texts.");

    /// <summary>Cosine similarity <c>⟨norm(E[b,:,i,j]), norm(t_n)⟩</c>. <c>E [B, C, H, W], t [N, C] → [B, N, H, W]</c>.</summary>
    public static Tensor Similarity(Tensor embedding, Tensor text) =>
        WrappedTensorDisposeScope(() => einsum("bchw,nc->bnhw", Norm.L2(embedding, 1), Norm.L2(text, -1)));

    /// <summary>
    /// Inference-time grounding (official <c>masker.forward_seg(..., hard=False)</c>): every image against every class
    /// embedding, soft masks only, no noise. Unlike <see cref="Ground"/> it takes any number of texts (classes).
    /// </summary>
    /// <param name="input">Frozen tapped tokens and grid.</param>
    /// <param name="textEmbeddings">Class (or text) embeddings <c>[K, embed]</c>; normalised here.</param>
    /// <returns>Cosine similarity and soft mask <c>σ(w·s + b)</c>, both <c>[B, K, s·h, s·w]</c>.</returns>
    public (Tensor Similarity, Tensor Soft) SoftMasks(GrounderInput input, Tensor textEmbeddings)
    {
        using var scope = NewDisposeScope();
        var embedding = image_encoder.Forward(input.Tapped, input.GridHeight, input.GridWidth, out _); // [B, C, H', W']
        var similarity = Similarity(embedding, textEmbeddings);                                         // [B, K, H', W']
        var soft = sim2mask.forward(similarity);
        return (similarity.MoveToOuterDisposeScope(), soft.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Training-time grounding of a batch against its own captions: every image with every caption of the batch
    /// (caption b is image b's positive).
    /// </summary>
    /// <param name="input">Frozen tapped tokens and grid.</param>
    /// <param name="text">CLIP text embeddings of the batch's captions <c>[B, embed]</c>.</param>
    /// <param name="noise">Gumbel noise for the hard masks; null for soft masks only.</param>
    public GroundingMasks Ground(GrounderInput input, Tensor text, IGumbelNoise? noise)
    {
        var embedding = image_encoder.Forward(input.Tapped, input.GridHeight, input.GridWidth, out var tokens); // [B, C, H', W']
        var similarity = Similarity(embedding, text);                                                         // [B, N, H', W']
        var logits = sim2mask.Logits(similarity);
        var soft = logits.sigmoid();
        long b = soft.shape[0], n = soft.shape[1], h = soft.shape[2], w = soft.shape[3];
        if (n != b) throw new ArgumentException($"Training grounding needs one caption per image: {b} images, {n} captions.");

        var rows = Scalars.Arange(b, soft.device);                                          // [B]
        var softPositive = soft[rows, rows].unsqueeze(1);                                   // [B, 1, H', W']
        var offDiagonal = eye(b, n, dtype: @bool, device: soft.device).logical_not();            // [B, N]
        var softNegative = soft.masked_select(offDiagonal.view(b, n, 1, 1)).view(b, n - 1, h, w);

        Tensor? hard = null, positive = null;
        if (noise is not null)
        {
            hard = sim2mask.Hard(logits, noise);
            positive = hard[rows, rows].unsqueeze(1);
        }
        return new GroundingMasks(embedding, similarity, soft, hard, positive, softPositive, softNegative, tokens);
    }
}
