using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Clip;
using Tcl.Grounding;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Tcl.Torch;

namespace Tcl.Evaluation;

/// <summary>
/// Every stage of TCL's mask for one text query on one image. h×w is CLIP's patch grid, 4h×4w the grounder's mask
/// grid (the decoder up-samples ×4), H×W the image.
/// </summary>
/// <param name="Query">The text as typed.</param>
/// <param name="Similarity">Cosine similarity <c>s = ⟨norm(E), norm(t)⟩</c> of the dense embedding with the prompted
/// query, 4h×4w, in [−1, 1].</param>
/// <param name="Soft">Soft mask <c>σ(w·s + b)</c>, 4h×4w: what feature-level TCL pools with and inference starts from.</param>
/// <param name="Hard">One straight-through Gumbel-sigmoid sample <c>1[σ((w·s + b + g)/τ) &gt; 0.5]</c>, 4h×4w, 0 or 1:
/// what image-level TCL multiplies the image with during training.</param>
/// <param name="HardFrequency">Fraction of the Gumbel samples that were 1 per cell, 4h×4w; tends to <see cref="Soft"/>
/// (the logistic noise makes <c>P(hard = 1) = σ(w·s + b)</c> exactly).</param>
/// <param name="Refined">The soft mask after PAMR (the protocol's iterations and dilations), 4h×4w.</param>
/// <param name="Kp">Frozen CLIP's MaskCLIP mask <c>σ(10·(s′ − 0.25))</c> on the patch grid h×w (the kp branch).</param>
/// <param name="Final">The protocol's score at the image size H×W: PAMR (when the protocol refines), the kp blend,
/// upsampled — what <see cref="TextQueries.Masks"/> returns for an image that is one window.</param>
public sealed record QueryGrounding(string Query, ScalarMap Similarity, ScalarMap Soft, ScalarMap Hard, ScalarMap HardFrequency,
    ScalarMap Refined, ScalarMap Kp, ScalarMap Final);

/// <summary>What <see cref="GroundingInspector.Inspect"/> saw.</summary>
/// <param name="Queries">One entry per query, in the order given.</param>
/// <param name="W">The learned Sim2Mask scale <c>w</c> (initialised to 10).</param>
/// <param name="B">The learned Sim2Mask offset <c>b</c> (initialised to −2.5).</param>
/// <param name="Tau">Temperature of the Gumbel-sigmoid.</param>
/// <param name="GumbelSamples">Samples behind <see cref="QueryGrounding.HardFrequency"/>.</param>
/// <param name="DecoderGates">The decoder's residual-unit gates <c>tanh(g)</c> in state-dict order (0 at initialisation,
/// when the decoder is pure ×4 nearest upsampling); empty for a grounder without decoder.</param>
public sealed record GroundingInspection(IReadOnlyList<QueryGrounding> Queries, double W, double B, double Tau, int GumbelSamples,
    IReadOnlyList<double> DecoderGates)
{
    /// <summary>The entry of <paramref name="query"/>.</summary>
    public QueryGrounding this[string query] => Queries.First(q => q.Query == query);
}

/// <summary>
/// Takes TCL's inference apart for visualisation: for a trained model, an image and free-form queries it returns the
/// similarity map, the soft mask <c>σ(w·s + b)</c>, hard Gumbel-sigmoid masks (the training-time mask, drawn with
/// <see cref="Sim2Mask.Hard"/>), the mask before and after PAMR, the frozen-CLIP kp mask and the protocol's final score.
/// </summary>
/// <remarks>
/// The whole pre-processed image is one window (<see cref="TclWindowScorer.Generate"/>), which is what the protocol
/// does whenever the image fits its crop (the synthetic world's 64-px images and its 64-px crop); a larger image is
/// not slid over, so its maps can differ from the segmenter's near window borders. Queries are prompted with the
/// protocol's templates, as <see cref="TextQueries"/> does. Runs under no-grad; the model is only read.
/// </remarks>
public static class GroundingInspector
{
    /// <summary>Inspects <paramref name="queries"/> on <paramref name="image"/>.</summary>
    /// <param name="model">Trained TCL (eval mode).</param>
    /// <param name="protocol">Pre-processing, templates, PAMR settings and kp weight.</param>
    /// <param name="image">The picture.</param>
    /// <param name="queries">Free-form texts.</param>
    /// <param name="gumbelSamples">Hard-mask samples drawn (≥ 1); the first is <see cref="QueryGrounding.Hard"/>.</param>
    /// <param name="seed">Seed of the Gumbel noise, so the hard masks are reproducible.</param>
    /// <param name="tokenizer">CLIP tokenizer (default: the embedded one).</param>
    public static GroundingInspection Inspect(TclModel model, EvaluationProtocol protocol, Image<Rgb24> image, IReadOnlyList<string> queries,
        int gumbelSamples = 64, long seed = 0, ClipTokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(queries);
        if (queries.Count == 0) throw new ArgumentException("Give at least one query.", nameof(queries));
        ArgumentOutOfRangeException.ThrowIfLessThan(gumbelSamples, 1);
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var classifier = TextClassifier.Build(model.clip_text_encoder, tokenizer ?? ClipTokenizer.Default, queries,
            PromptTemplates.Get(protocol.Templates));                                                // [Q, E]
        var input = new EvalImagePreprocessor(protocol).Process(image);                            // [1, 3, H', W']

        // PAMR always runs here, so "before" and "after" can be shown even for a protocol without it.
        var refine = Pamr.FromProtocol(protocol);
        var inspected = new TclWindowScorer(model, refine, protocol.KpWeight).Generate(input, classifier);
        var final = protocol.Pamr ? inspected.Masks : new TclWindowScorer(model, protocol).Generate(input, classifier).Masks; // [1, Q, H', W']
        final = F.interpolate(final, size: [image.Height, image.Width], mode: InterpolationMode.Bilinear, align_corners: false).clamp(Scalars.Zero, Scalars.One);
        var kp = inspected.KpMask ?? MaskClipWindowScorer.KpMask(
            model.clip_image_encoder.DenseFeatures(inspected.Padding.Pad(input)).Projected, classifier); // [1, Q, h, w]

        // Hard masks exactly as training draws them: Sim2Mask's straight-through Gumbel-sigmoid on the logits.
        var sim2mask = model.masker.sim2mask;
        var logits = sim2mask.Logits(inspected.Similarity);                                        // [1, Q, 4h, 4w]
        var noise = new GeneratorGumbelNoise(new Generator((ulong)seed));
        // Hard's forward value is hard − soft + soft, which float rounding can leave one ulp off 0 or 1: round it back.
        var first = sim2mask.Hard(logits, noise).round();                                         // [1, Q, 4h, 4w] in {0, 1}
        var count = first.clone();
        for (int i = 1; i < gumbelSamples; i++)
        {
            using var step = NewDisposeScope();
            count.add_(sim2mask.Hard(logits, noise).round(), Scalars.One);
        }
        using var scalars = new ScalarScope();
        var frequency = count.div(scalars.Of(gumbelSamples));

        var similarity = ScalarMap.FromPlanes(inspected.Similarity[0]);
        var soft = ScalarMap.FromPlanes(inspected.SoftMask[0]);
        var hard = ScalarMap.FromPlanes(first[0]);
        var freq = ScalarMap.FromPlanes(frequency[0]);
        var refined = ScalarMap.FromPlanes(inspected.PamrOutput![0]);
        var kpMaps = ScalarMap.FromPlanes(kp[0]);
        var finals = ScalarMap.FromPlanes(final[0]);
        var entries = queries.Select((q, i) => new QueryGrounding(q, similarity[i], soft[i], hard[i], freq[i], refined[i], kpMaps[i], finals[i])).ToList();
        var gates = model.masker.image_encoder.decoder.named_parameters()
            .Where(p => p.name.EndsWith("gate.gate", StringComparison.Ordinal))
            .Select(p => Math.Tanh(p.parameter.item<float>())).ToList();
        return new GroundingInspection(entries, sim2mask.w.item<float>(), sim2mask.b.item<float>(), model.Grounder.GumbelTau, gumbelSamples, gates);
    }
}
