using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Clip;
using Tcl.Data.Synthetic;
using Tcl.Grounding;
using static TorchSharp.torch;

namespace Tcl.Evaluation;

/// <summary>How frozen CLIP relates one text to one image, globally and per patch (h×w the patch grid).</summary>
/// <param name="Text">The text as typed (prompted with the protocol's templates before encoding).</param>
/// <param name="ImageLevel">Cosine of CLIP's global image embedding (class token → <c>ln_post</c> → <c>proj</c>, standard
/// attention everywhere) with the text: the only quantity CLIP's contrastive loss trains.</param>
/// <param name="SelfOnly">Per-patch cosine with the MaskCLIP-style last block (each token attends only to itself), h×w.</param>
/// <param name="Normal">Per-patch cosine with the ordinary last block (full attention), h×w.</param>
public sealed record ClipTextMaps(string Text, double ImageLevel, ScalarMap SelfOnly, ScalarMap Normal);

/// <summary>What <see cref="ClipDenseInspector.Inspect"/> saw.</summary>
/// <param name="Texts">One entry per text, in the order given.</param>
/// <param name="SelfOnlyToClass">Per patch, cosine of its projected self-only feature with the global image embedding, h×w.</param>
/// <param name="NormalToClass">Per patch, cosine of its projected ordinary feature with the global image embedding, h×w:
/// high and flat when the last block's full attention has mixed every patch with the global content.</param>
public sealed record ClipDenseInspection(IReadOnlyList<ClipTextMaps> Texts, ScalarMap SelfOnlyToClass, ScalarMap NormalToClass)
{
    /// <summary>The entry of <paramref name="text"/>.</summary>
    public ClipTextMaps this[string text] => Texts.First(t => t.Text == text);
}

/// <summary>How much each kind of CLIP map singles out what one query names in one scene.</summary>
/// <param name="Scene">Test-scene index.</param>
/// <param name="Text">The query.</param>
/// <param name="Kind">What it tests.</param>
/// <param name="ImageLevel">Cosine of the global image embedding with the query.</param>
/// <param name="SelfOnlyContrast">Mean self-only patch similarity inside the query's region minus outside it (map
/// resized bilinearly to the image).</param>
/// <param name="NormalContrast">The same for the ordinary last block.</param>
public sealed record ClipRegionContrast(int Scene, string Text, SceneQueryKind Kind, double ImageLevel, double SelfOnlyContrast, double NormalContrast);

/// <summary>Means of <see cref="ClipRegionContrast"/> over one kind of query.</summary>
/// <param name="Kind">What the queries test.</param>
/// <param name="Queries">How many (scene, query) pairs have a region and a complement.</param>
/// <param name="ImageLevel">Mean image-level cosine.</param>
/// <param name="SelfOnlyContrast">Mean inside − outside similarity, self-only last block.</param>
/// <param name="NormalContrast">Mean inside − outside similarity, ordinary last block.</param>
public sealed record ClipRegionContrastSummary(SceneQueryKind Kind, int Queries, double ImageLevel, double SelfOnlyContrast, double NormalContrast);

/// <summary>
/// Frozen CLIP's two ways of reading an image (official <c>sclip/model.py</c>, <c>VisionTransformer.forward</c>): the
/// image-level score of each text (what CLIP was trained to align) and per-patch similarity maps from the patch tokens
/// projected by <c>ln_post</c> + <c>proj</c>, once with the ordinary last block and once with MaskCLIP's self-only last
/// block — the dense features TCL's kp branch and the MaskCLIP baseline use.
/// </summary>
/// <remarks>
/// The pre-processed image (the protocol's resize and normalisation) is zero-padded to whole patches and encoded as
/// one window; padded patches stay in the maps. Two tower passes (the self-only one differs only in the last block).
/// Runs under no-grad; the encoder is only read.
/// </remarks>
public static class ClipDenseInspector
{
    /// <summary>Inspects <paramref name="texts"/> on <paramref name="image"/>.</summary>
    /// <param name="encoder">TCL's frozen CLIP image side (tower without head plus <c>clip_proj</c>).</param>
    /// <param name="textTower">Frozen CLIP text tower.</param>
    /// <param name="protocol">Pre-processing and prompt templates.</param>
    /// <param name="image">The picture.</param>
    /// <param name="texts">Free-form texts.</param>
    /// <param name="tokenizer">CLIP tokenizer (default: the embedded one).</param>
    public static ClipDenseInspection Inspect(ClipImageEncoder encoder, TextTransformer textTower, EvaluationProtocol protocol,
        Image<Rgb24> image, IReadOnlyList<string> texts, ClipTokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0) throw new ArgumentException("Give at least one text.", nameof(texts));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var classifier = TextClassifier.Build(textTower, tokenizer ?? ClipTokenizer.Default, texts, PromptTemplates.Get(protocol.Templates)); // [K, E]
        var input = new EvalImagePreprocessor(protocol).Process(image);                                   // [1, 3, H, W]
        var padded = PatchPadding.For(input.shape[2], input.shape[3], encoder.clip_visual.Config.PatchSize).Pad(input);

        var normal = encoder.clip_visual.EncodeTokens(padded);                                            // tokens [1, 1 + h·w, width]
        var selfOnly = encoder.clip_visual.EncodeTokens(padded, new VisionEncodeOptions(SelfOnlyLastBlock: true));
        var global = encoder.clip_proj.forward(normal.Tokens.select(1, 0));                                // [1, E]
        var imageLevel = nn.functional.normalize(global, dim: -1).matmul(classifier.t())[0];               // [K] (classifier is normalised)

        var normalDense = encoder.clip_proj.ProjectFeatureMap(VisionTransformer.ToFeatureMap(normal.Tokens, normal.GridHeight, normal.GridWidth)); // [1, E, h, w]
        var selfDense = encoder.clip_proj.ProjectFeatureMap(VisionTransformer.ToFeatureMap(selfOnly.Tokens, selfOnly.GridHeight, selfOnly.GridWidth));
        var normalMaps = ScalarMap.FromPlanes(Masker.Similarity(normalDense, classifier)[0]);              // K × [h, w]
        var selfMaps = ScalarMap.FromPlanes(Masker.Similarity(selfDense, classifier)[0]);
        var scores = imageLevel.data<float>().ToArray();
        var entries = texts.Select((t, i) => new ClipTextMaps(t, scores[i], selfMaps[i], normalMaps[i])).ToList();
        return new ClipDenseInspection(entries,
            ScalarMap.FromPlanes(Masker.Similarity(selfDense, global)[0])[0],
            ScalarMap.FromPlanes(Masker.Similarity(normalDense, global)[0])[0]);
    }
    /// <summary>
    /// Region contrast of both dense maps for every query of test scenes 0..<paramref name="scenes"/>−1 of
    /// <paramref name="world"/> (<see cref="SceneQueries"/>): does a map light up where its words are? Queries whose
    /// region covers the whole image have no outside and are skipped.
    /// </summary>
    /// <param name="encoder">TCL's frozen CLIP image side.</param>
    /// <param name="textTower">Frozen CLIP text tower.</param>
    /// <param name="protocol">Pre-processing and prompt templates.</param>
    /// <param name="world">The synthetic world.</param>
    /// <param name="scenes">Number of test scenes.</param>
    public static IReadOnlyList<ClipRegionContrast> RegionContrast(ClipImageEncoder encoder, TextTransformer textTower, EvaluationProtocol protocol,
        SyntheticWorldConfig world, int scenes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scenes, 1);
        var generator = new SyntheticGenerator(world);
        var rows = new List<ClipRegionContrast>();
        for (int i = 0; i < scenes; i++)
        {
            var scene = generator.Generate(i, SyntheticSplit.Test);
            var queries = SceneQueries.For(scene, world).Where(q => q.Region.Contains(false)).ToList();
            if (queries.Count == 0) continue;
            using var image = scene.ToImage();
            var maps = Inspect(encoder, textTower, protocol, image, queries.Select(q => q.Text).ToList());
            for (int q = 0; q < queries.Count; q++)
            {
                var t = maps.Texts[q];
                rows.Add(new ClipRegionContrast(i, t.Text, queries[q].Kind, t.ImageLevel,
                    t.SelfOnly.Resized(scene.Size, scene.Size).Contrast(queries[q].Region),
                    t.Normal.Resized(scene.Size, scene.Size).Contrast(queries[q].Region)));
            }
        }
        return rows;
    }

    /// <summary>Means per kind of query (kinds in declaration order, only those that occur), rounded to 3 decimals.</summary>
    public static IReadOnlyList<ClipRegionContrastSummary> Summarise(IReadOnlyList<ClipRegionContrast> rows) =>
        Enum.GetValues<SceneQueryKind>()
            .Select(k => rows.Where(r => r.Kind == k).ToList())
            .Where(g => g.Count > 0)
            .Select(g => new ClipRegionContrastSummary(g[0].Kind, g.Count, Math.Round(g.Average(r => r.ImageLevel), 3),
                Math.Round(g.Average(r => r.SelfOnlyContrast), 3), Math.Round(g.Average(r => r.NormalContrast), 3)))
            .ToList();
}
