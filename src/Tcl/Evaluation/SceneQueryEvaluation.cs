using Tcl.Clip;
using Tcl.Data.Synthetic;

namespace Tcl.Evaluation;

/// <summary>How well one method's mask of one query covers what the query names in one scene.</summary>
/// <param name="Scene">Test-scene index.</param>
/// <param name="Text">The query.</param>
/// <param name="Kind">What it tests.</param>
/// <param name="IoU">IoU of the thresholded mask with the query's exact region.</param>
public sealed record SceneQueryScore(int Scene, string Text, SceneQueryKind Kind, double IoU);

/// <summary>Mean IoU of one kind of query.</summary>
/// <param name="Kind">What the queries test.</param>
/// <param name="Queries">How many (scene, query) pairs.</param>
/// <param name="MeanIoU">Their mean IoU, in percent.</param>
public sealed record SceneQueryKindScore(SceneQueryKind Kind, int Queries, double MeanIoU);

/// <summary>
/// Free-form queries with ground truth: every query a synthetic test scene answers (<see cref="SceneQueries"/>: its
/// colours, shapes, pairs, sprites, stuff) is masked with <see cref="TextQueries.Masks"/> — each on its own, no
/// competition between queries and no background class — and the mask, thresholded at the protocol's background
/// score, is compared with the query's exact pixels. Complements the benchmarks: one number per kind of word.
/// </summary>
public static class SceneQueryEvaluation
{
    /// <summary>Scores <paramref name="scorer"/> on test scenes 0..<paramref name="scenes"/>−1 of <paramref name="world"/>.</summary>
    /// <param name="scorer">The method (TCL or MaskCLIP).</param>
    /// <param name="textTower">Its frozen CLIP text tower.</param>
    /// <param name="protocol">Protocol (templates, windows, PAMR, kp; <see cref="EvaluationProtocol.BackgroundThreshold"/>
    /// is the default threshold).</param>
    /// <param name="world">The synthetic world.</param>
    /// <param name="scenes">Number of test scenes.</param>
    /// <param name="threshold">A pixel is in the mask when its score is above this; default the background threshold.</param>
    public static IReadOnlyList<SceneQueryScore> Evaluate(IWindowScorer scorer, TextTransformer textTower, EvaluationProtocol protocol,
        SyntheticWorldConfig world, int scenes, double? threshold = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scenes, 1);
        double t = threshold ?? protocol.BackgroundThreshold;
        var generator = new SyntheticGenerator(world);
        var rows = new List<SceneQueryScore>();
        for (int i = 0; i < scenes; i++)
        {
            var scene = generator.Generate(i, SyntheticSplit.Test);
            var queries = SceneQueries.For(scene, world);
            if (queries.Count == 0) continue;
            using var image = scene.ToImage();
            var masks = TextQueries.Masks(scorer, textTower, protocol, image, queries.Select(q => q.Text).ToList());
            for (int q = 0; q < queries.Count; q++)
                rows.Add(new SceneQueryScore(i, queries[q].Text, queries[q].Kind,
                    new ScalarMap(masks[q], scene.Size, scene.Size).IoU(queries[q].Region, t)));
        }
        return rows;
    }

    /// <summary>Mean IoU per kind of query, kinds in declaration order, only kinds that occur.</summary>
    public static IReadOnlyList<SceneQueryKindScore> Summarise(IReadOnlyList<SceneQueryScore> rows) =>
        Enum.GetValues<SceneQueryKind>()
            .Select(k => rows.Where(r => r.Kind == k).ToList())
            .Where(g => g.Count > 0)
            .Select(g => new SceneQueryKindScore(g[0].Kind, g.Count, Math.Round(100 * g.Average(r => r.IoU), 1)))
            .ToList();
}
