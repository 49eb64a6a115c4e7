using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data.Synthetic;
using Tcl.Evaluation;
using Tcl.Grounding;
using Tcl.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Evaluation;

/// <summary>A random-weight tiny TCL (32² images, 4×4 patch grid, 16² masks) and a 32-px scene, shared by a test class.</summary>
public sealed class TinyInspectionFixture : IDisposable
{
    public TclModel Model { get; } = new(TinyModels.Clip);

    /// <summary>The synthetic protocol scaled to 32-px images: one 32×32 window.</summary>
    public EvaluationProtocol Protocol { get; } = EvaluationProtocol.Synthetic with { ShortSide = 32, CropSize = 32, Stride = 16, PamrDilations = [1, 2, 4] };

    public SyntheticWorldConfig World { get; } = SyntheticWorldConfig.Default with { ImageSize = 32 };

    public Image<Rgb24> Image { get; }

    public TinyInspectionFixture()
    {
        Model.eval();
        Image = new SyntheticGenerator(World).Generate(1, SyntheticSplit.Test).ToImage();
    }

    public void Dispose()
    {
        Image.Dispose();
        Model.Dispose();
    }
}

/// <summary>
/// <see cref="GroundingInspector"/> and <see cref="ClipDenseInspector"/> on a random tiny model: every stage on its
/// grid, the soft mask equal to σ(w·s + b), Gumbel samples averaging to the soft mask, PAMR as a convex average, the
/// final score equal to <see cref="TextQueries"/>, and the CLIP maps consistent with the kp branch.
/// </summary>
public sealed class GroundingInspectionTests(TinyInspectionFixture fixture) : IClassFixture<TinyInspectionFixture>
{
    private static readonly string[] Queries = ["red", "a star on grass"];

    [Fact]
    public void EveryStageComesOnItsGridAndTheSoftMaskIsTheSigmoidOfTheScaledSimilarity()
    {
        var g = GroundingInspector.Inspect(fixture.Model, fixture.Protocol, fixture.Image, Queries, gumbelSamples: 4);
        Assert.Equal(Queries, g.Queries.Select(q => q.Query));
        // Untrained Sim2Mask: w₀ = 10, b₀ = −2.5, τ = 1, all exact in float32, read back without arithmetic.
        Near.Abs(10.0, g.W, 0, "w");
        Near.Abs(-2.5, g.B, 0, "b");
        Assert.Equal(1.0, g.Tau);
        Assert.Equal(4, g.DecoderGates.Count);  // 2 stages × 2 units, zero-initialised
        Assert.All(g.DecoderGates, v => Assert.Equal(0.0, v));
        foreach (var q in g.Queries)
        {
            foreach (var map in new[] { q.Similarity, q.Soft, q.Hard, q.HardFrequency, q.Refined })
                Assert.Equal((16, 16), (map.Width, map.Height));             // 4×4 patches, decoder ×4
            Assert.Equal((4, 4), (q.Kp.Width, q.Kp.Height));
            Assert.Equal((32, 32), (q.Final.Width, q.Final.Height));
            Assert.All(q.Similarity.Values, v => Assert.InRange(v, -1.0001f, 1.0001f));
            // float32 σ(w·s + b) against the same in double from the stored float32 s: the float32 argument (|w·s + b|
            // ≤ 12.5) is off by ≤ ~2 ulp ≈ 2e-6, σ' ≤ 1/4 makes that ≤ 5e-7, plus σ's own rounding (≤ 6e-8): 1e-6.
            for (int i = 0; i < q.Soft.Values.Length; i++)
                Near.Abs(1 / (1 + Math.Exp(-(g.W * q.Similarity.Values[i] + g.B))), q.Soft.Values[i], 1e-6, $"{q.Query} soft[{i}]");
            Assert.All(q.Hard.Values, v => Assert.True(v is 0f or 1f, $"hard value {v}"));
            Assert.All(q.Final.Values, v => Assert.InRange(v, 0f, 1f));
        }
    }

    [Fact]
    public void GumbelSamplesAverageToTheSoftMaskAndAreReproducibleBySeed()
    {
        var g = GroundingInspector.Inspect(fixture.Model, fixture.Protocol, fixture.Image, Queries, gumbelSamples: 400, seed: 7);
        foreach (var q in g.Queries)
        {
            // P(σ(logit + g) > 0.5) = P(g > −logit) = σ(logit) for logistic g: 400 samples → per-cell std ≤ 0.025.
            double meanAbs = q.Soft.Values.Zip(q.HardFrequency.Values, (s, f) => Math.Abs(s - f)).Average();
            Assert.True(meanAbs < 0.04, $"{q.Query}: mean |frequency − soft| = {meanAbs:F3}");
            Assert.All(q.HardFrequency.Values, v => Assert.InRange(v, 0f, 1f));
        }
        var again = GroundingInspector.Inspect(fixture.Model, fixture.Protocol, fixture.Image, Queries, gumbelSamples: 1, seed: 7);
        Assert.Equal(g.Queries[0].Hard.Values, again.Queries[0].Hard.Values);
    }

    [Fact]
    public void PamrAveragesNeighboursSoTheRefinedMaskStaysWithinTheSoftMasksRange()
    {
        var g = GroundingInspector.Inspect(fixture.Model, fixture.Protocol, fixture.Image, Queries, gumbelSamples: 1);
        foreach (var q in g.Queries)
        {
            Assert.InRange(q.Refined.Min, q.Soft.Min - 1e-6f, q.Soft.Max + 1e-6f);
            Assert.InRange(q.Refined.Max, q.Soft.Min - 1e-6f, q.Soft.Max + 1e-6f);
            Assert.True(q.Soft.Values.Zip(q.Refined.Values, (a, b) => Math.Abs(a - b)).Sum() > 1e-4, $"{q.Query}: PAMR changed nothing");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheFinalScoreIsWhatTextQueriesReturnsForAOneWindowImage(bool pamr)
    {
        var protocol = fixture.Protocol with { Pamr = pamr };
        var g = GroundingInspector.Inspect(fixture.Model, protocol, fixture.Image, Queries, gumbelSamples: 1);
        var expected = TextQueries.Masks(new TclWindowScorer(fixture.Model, protocol), fixture.Model.clip_text_encoder, protocol, fixture.Image, Queries);
        for (int q = 0; q < Queries.Length; q++)
            for (int i = 0; i < expected[q].Length; i++)
                // The same float32 pipeline reached two ways (scores in [0, 1]): the parity tolerance for masks, 1e-6.
                Near.Abs(expected[q][i], g.Queries[q].Final.Values[i], 1e-6, $"{Queries[q]} final[{i}]");
    }

    [Fact]
    public void ClipSelfOnlyMapsAreTheKpBranchsSimilaritiesAndTheImageLevelScoreIsTheGlobalEmbeddings()
    {
        var clip = ClipDenseInspector.Inspect(fixture.Model.clip_image_encoder, fixture.Model.clip_text_encoder, fixture.Protocol, fixture.Image, Queries);
        var g = GroundingInspector.Inspect(fixture.Model, fixture.Protocol, fixture.Image, Queries, gumbelSamples: 1);
        using var scope = NewDisposeScope();
        var classifier = TextClassifier.Build(fixture.Model.clip_text_encoder, Tcl.Clip.ClipTokenizer.Default, Queries, PromptTemplates.Get(fixture.Protocol.Templates));
        var image = new EvalImagePreprocessor(fixture.Protocol).Process(fixture.Image);
        Tensor global;
        using (no_grad()) global = nn.functional.normalize(fixture.Model.clip_image_encoder.forward(image), dim: -1);
        var expectedScores = global.matmul(classifier.t())[0].data<float>().ToArray();
        for (int q = 0; q < Queries.Length; q++)
        {
            var t = clip.Texts[q];
            Assert.Equal(Queries[q], t.Text);
            Assert.Equal((4, 4), (t.SelfOnly.Width, t.SelfOnly.Height));
            Assert.Equal((4, 4), (t.Normal.Width, t.Normal.Height));
            // Cosine of two unit float32 vectors computed two ways: |s| ≤ 1, a few ulps of rounding per sum: 1e-6.
            Near.Abs(expectedScores[q], t.ImageLevel, 1e-6, $"{Queries[q]} image level");
            // The kp branch (from TCL's single tapped pass) is σ(10·(s_selfonly − 0.25)).
            // float32 σ(10·(s − 0.25)) against double from the stored s: σ' · 10 ≤ 2.5 times s's rounding (≤ 6e-8),
            // plus float32 rounding of the product and σ (≤ ~2e-7): 1e-6.
            for (int i = 0; i < t.SelfOnly.Values.Length; i++)
                Near.Abs(g.Queries[q].Kp.Values[i], 1 / (1 + Math.Exp(-10 * (t.SelfOnly.Values[i] - 0.25))), 1e-6, $"{Queries[q]} kp[{i}]");
            Assert.True(t.SelfOnly.Values.Zip(t.Normal.Values, (a, b) => Math.Abs(a - b)).Max() > 1e-4, "the two last blocks gave the same map");
        }
        Assert.Equal((4, 4), (clip.NormalToClass.Width, clip.NormalToClass.Height));
        Assert.All(clip.SelfOnlyToClass.Values.Concat(clip.NormalToClass.Values), v => Assert.InRange(v, -1.0001f, 1.0001f));
    }

    [Fact]
    public void SceneQueryEvaluationScoresEveryQueryOfEveryScene()
    {
        var scorer = new TclWindowScorer(fixture.Model, fixture.Protocol);
        var rows = SceneQueryEvaluation.Evaluate(scorer, fixture.Model.clip_text_encoder, fixture.Protocol, fixture.World, scenes: 2);
        var generator = new SyntheticGenerator(fixture.World);
        int expected = Enumerable.Range(0, 2).Sum(i => SceneQueries.For(generator.Generate(i, SyntheticSplit.Test), fixture.World).Count);
        Assert.Equal(expected, rows.Count);
        Assert.All(rows, r => Assert.InRange(r.IoU, 0.0, 1.0));
        var summary = SceneQueryEvaluation.Summarise(rows);
        Assert.Equal(rows.Count, summary.Sum(s => s.Queries));
        foreach (var s in summary)
        {
            // Reported in percent with one decimal: within half a step of the exact mean, and on the 0.1 grid.
            Near.Abs(100 * rows.Where(r => r.Kind == s.Kind).Average(r => r.IoU), s.MeanIoU, 0.05 + 1e-9, $"{s.Kind} mean IoU");
            Near.Abs(Math.Round(10 * s.MeanIoU), 10 * s.MeanIoU, 1e-9, $"{s.Kind} mean IoU on the 0.1 grid");
        }
    }

    [Fact]
    public void RegionContrastMatchesTheMapsOfEachScene()
    {
        var encoder = fixture.Model.clip_image_encoder;
        var rows = ClipDenseInspector.RegionContrast(encoder, fixture.Model.clip_text_encoder, fixture.Protocol, fixture.World, scenes: 2);
        Assert.NotEmpty(rows);
        var scene = new SyntheticGenerator(fixture.World).Generate(rows[0].Scene, SyntheticSplit.Test);
        var query = SceneQueries.For(scene, fixture.World).First(q => q.Text == rows[0].Text);
        using var image = scene.ToImage();
        var maps = ClipDenseInspector.Inspect(encoder, fixture.Model.clip_text_encoder, fixture.Protocol, image, [query.Text]).Texts[0];
        // Cosines (|s| ≤ 1) and differences of their means over a region, from the same float32 maps: 1e-6.
        Near.Abs(maps.ImageLevel, rows[0].ImageLevel, 1e-6, "image level");
        Near.Abs(maps.SelfOnly.Resized(32, 32).Contrast(query.Region), rows[0].SelfOnlyContrast, 1e-6, "self-only contrast");
        Near.Abs(maps.Normal.Resized(32, 32).Contrast(query.Region), rows[0].NormalContrast, 1e-6, "normal contrast");
        Assert.All(rows, r => Assert.False(double.IsNaN(r.SelfOnlyContrast)));
        var summary = ClipDenseInspector.Summarise(rows);
        Assert.Equal(rows.Count, summary.Sum(s => s.Queries));
    }
}
