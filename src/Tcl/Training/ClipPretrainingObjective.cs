using Tcl.Clip;
using Tcl.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Training;

/// <summary>
/// CLIP contrastive pre-training from scratch (Radford et al. 2021), the stand-in for OpenAI's CLIP on the synthetic
/// world: for a batch of B image-caption pairs, image and text embeddings are L2-normalised, the B×B cosine matrix is
/// scaled by <c>exp(logit_scale)</c> (the model's learnable temperature, initialised to ln(1/0.07) and capped at 100 as
/// in OpenAI's / open_clip's training), and the loss is the symmetric cross-entropy
/// <c>(CE(logits, arange B) + CE(logitsᵀ, arange B)) / 2</c> — image-to-text and text-to-image InfoNCE.
/// Every parameter of the model (towers and <c>logit_scale</c>) is optimised; no augmentation, hence no generators.
/// The trained model exports as CLIP weights with <see cref="Tcl.Clip.Weights.ClipWeightsWriter"/>.
/// </summary>
public sealed class ClipPretrainingObjective : ITrainingObjective
{
    /// <summary>Name of the single loss term.</summary>
    public const string TermName = "clip_loss";

    /// <summary>Cap of the logit scale <c>exp(logit_scale)</c> (OpenAI: 100).</summary>
    public const double MaxLogitScale = 100.0;

    private static readonly Scalar MaxLogitScaleScalar = Scalars.Pinned(MaxLogitScale);
    private static readonly Scalar LogMaxLogitScale = Scalars.Pinned(Math.Log(MaxLogitScale));
    private static readonly Scalar ZeroLogit = Scalars.Pinned(0.0);
    private static readonly Scalar Two = Scalars.Pinned(2L);

    /// <param name="model">The CLIP to train (typically freshly initialised, e.g. from <see cref="ClipPresets.SyntheticSmall"/>).</param>
    public ClipPretrainingObjective(ClipModel model)
    {
        Clip = model;
        OptimizedParameters = model.named_parameters().Select(p => (p.name, p.parameter)).ToList();
    }

    /// <summary>The model being trained.</summary>
    public ClipModel Clip { get; }

    public nn.Module Model => Clip;

    public IReadOnlyList<(string Name, Parameter Parameter)> OptimizedParameters { get; }

    public IReadOnlyList<(string Name, Generator Generator)> Generators => [];

    /// <summary>
    /// Train mode; and, as open_clip does after every update, clamps the stored <c>logit_scale</c> to [0, ln 100] so
    /// the parameter cannot drift beyond the cap where it would get no gradient (deterministic, so resuming is exact).
    /// </summary>
    public void BeginStep(long step)
    {
        Clip.train();
        using (no_grad())
            Clip.logit_scale.clamp_(ZeroLogit, LogMaxLogitScale);
    }

    public LossResult ComputeLoss(ImageTextBatch batch)
    {
        var loss = SymmetricLoss(Clip, batch.Images, batch.Tokens);
        return new LossResult(new Dictionary<string, Tensor> { [TermName] = loss }, loss);
    }

    /// <summary>
    /// The scaled image-to-text logits <c>[B, B]</c>: <c>min(exp(logit_scale), 100) · cos(image_i, text_j)</c>.
    /// </summary>
    public static Tensor Logits(ClipModel model, Tensor images, Tensor tokens)
    {
        var image = nn.functional.normalize(model.EncodeImage(images), dim: -1);
        // Captions are far shorter than the 77-token context: the causal text tower run only to the longest
        // caption's end-of-text token gives the same embeddings (and gradients) at a fraction of the cost.
        var text = nn.functional.normalize(model.Text.Encode(tokens, trimToLongest: true), dim: -1);
        var scale = model.logit_scale.exp().clamp(max: MaxLogitScaleScalar);
        return scale * image.matmul(text.t());
    }

    /// <summary>Symmetric InfoNCE of a batch of matching pairs (pair i is the positive of row and column i); a scalar.</summary>
    public static Tensor SymmetricLoss(ClipModel model, Tensor images, Tensor tokens)
    {
        var logits = Logits(model, images, tokens);
        var labels = Scalars.Arange(logits.shape[0], logits.device);                    // [B]
        var imageToText = nn.functional.cross_entropy(logits, labels);
        var textToImage = nn.functional.cross_entropy(logits.t(), labels);
        return imageToText.add(textToImage, Scalars.One).div(Two);
    }
}
