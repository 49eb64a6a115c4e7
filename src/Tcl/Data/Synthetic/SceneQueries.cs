namespace Tcl.Data.Synthetic;

/// <summary>What a scene query names, i.e. which open-world ability it tests.</summary>
public enum SceneQueryKind
{
    /// <summary>A colour word alone ("red"): every object of that colour.</summary>
    Colour,
    /// <summary>A shape word alone ("star"): every object of that shape.</summary>
    Shape,
    /// <summary>A colour–shape pair seen in training ("red star").</summary>
    Composition,
    /// <summary>A colour–shape pair never seen in training ("purple star").</summary>
    HeldOutComposition,
    /// <summary>A proper-noun sprite known only by name from captions ("zorblat").</summary>
    ProperNoun,
    /// <summary>A stuff texture ("grass").</summary>
    Stuff,
}

/// <summary>A query a scene can answer, with its exact ground-truth region.</summary>
/// <param name="Text">The query ("purple star").</param>
/// <param name="Kind">What it tests.</param>
/// <param name="Region">Row-major <c>[size, size]</c>, true on the pixels the query names (visible pixels only).</param>
public sealed record SceneQuery(string Text, SceneQueryKind Kind, bool[] Region);

/// <summary>
/// The queries a synthetic scene answers, one per colour, shape, colour–shape pair, sprite and stuff present, each
/// with the exact pixels it names — ground truth for free-form queries, straight from the generator's maps.
/// </summary>
public static class SceneQueries
{
    /// <summary>The queries of <paramref name="scene"/>, in the order colours, shapes, pairs, sprites, stuff.</summary>
    /// <param name="scene">A scene of <paramref name="world"/>.</param>
    /// <param name="world">Its world (class lists and held-out pairs).</param>
    public static IReadOnlyList<SceneQuery> For(SyntheticScene scene, SyntheticWorldConfig world)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(world);
        var visible = scene.Objects.Where(o => o.Area > 0).ToList();
        var shapes = visible.Where(o => !o.IsSprite).ToList();
        var queries = new List<SceneQuery>();
        foreach (var colour in shapes.Select(o => o.Colour!).Distinct())
            queries.Add(new SceneQuery(colour, SceneQueryKind.Colour, Union(scene, shapes.Where(o => o.Colour == colour))));
        foreach (var shape in shapes.Select(o => o.Shape!.Value).Distinct())
            queries.Add(new SceneQuery(Word(shape), SceneQueryKind.Shape, Union(scene, shapes.Where(o => o.Shape == shape))));
        foreach (var (colour, shape) in shapes.Select(o => (o.Colour!, o.Shape!.Value)).Distinct())
            queries.Add(new SceneQuery($"{colour} {Word(shape)}",
                world.IsHeldOut(colour, shape) ? SceneQueryKind.HeldOutComposition : SceneQueryKind.Composition,
                Union(scene, shapes.Where(o => o.Colour == colour && o.Shape == shape))));
        foreach (var sprite in visible.Where(o => o.IsSprite).Select(o => o.Sprite!).Distinct())
            queries.Add(new SceneQuery(sprite, SceneQueryKind.ProperNoun, Union(scene, visible.Where(o => o.Sprite == sprite))));
        foreach (var stuff in scene.StuffNames)
        {
            // Stuff map: 1 + the stuff's index in the world, 0 under objects.
            byte id = (byte)(1 + world.Stuff.ToList().FindIndex(s => s.Name == stuff));
            var region = scene.StuffMap.Select(v => v == id).ToArray();
            if (region.Any(r => r)) queries.Add(new SceneQuery(stuff, SceneQueryKind.Stuff, region));
        }
        return queries;
    }

    /// <summary>
    /// The first test scene from index <paramref name="start"/> on that has a query of <paramref name="kind"/> (e.g. a
    /// held-out pair or a sprite to show), searching at most <paramref name="limit"/> scenes.
    /// </summary>
    /// <exception cref="InvalidOperationException">No such scene within the limit.</exception>
    public static SyntheticScene FirstWith(SyntheticWorldConfig world, SceneQueryKind kind, int start = 0, int limit = 1000)
    {
        var generator = new SyntheticGenerator(world);
        for (int i = start; i < start + limit; i++)
        {
            var scene = generator.Generate(i, SyntheticSplit.Test);
            if (For(scene, world).Any(q => q.Kind == kind)) return scene;
        }
        throw new InvalidOperationException($"No test scene in {start}..{start + limit - 1} has a {kind} query.");
    }

    private static string Word(SyntheticShape shape) => shape.ToString().ToLowerInvariant();

    private static bool[] Union(SyntheticScene scene, IEnumerable<SyntheticObject> objects)
    {
        var region = new bool[scene.Size * scene.Size];
        foreach (var o in objects)
            for (int p = 0; p < region.Length; p++) region[p] |= o.Mask[p];
        return region;
    }
}
