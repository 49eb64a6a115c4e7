using Tcl.Data.Synthetic;
using Xunit;

namespace Tcl.Tests.Data.Synthetic;

/// <summary>Scene queries name exactly the pixels of what they mention, straight from the generator's maps.</summary>
public class SceneQueriesTests
{
    private static readonly SyntheticWorldConfig World = SyntheticWorldConfig.Default;

    public static TheoryData<int> Scenes => new() { 0, 1, 2, 3, 4, 5, 6, 7 };

    [Theory]
    [MemberData(nameof(Scenes))]
    public void RegionsFollowTheInstanceAndStuffMaps(int index)
    {
        var scene = new SyntheticGenerator(World).Generate(index, SyntheticSplit.Test);
        var queries = SceneQueries.For(scene, World);
        int n = scene.Size * scene.Size;
        Assert.All(queries, q => Assert.Equal(n, q.Region.Length));
        Assert.All(queries, q => Assert.Contains(true, q.Region));
        Assert.Equal(queries.Count, queries.Select(q => q.Text).Distinct().Count());

        SyntheticObject? At(int p) => scene.InstanceMap[p] == 0 ? null : scene.Objects[scene.InstanceMap[p] - 1];
        foreach (var q in queries)
            for (int p = 0; p < n; p++)
            {
                var o = At(p);
                bool expected = q.Kind switch
                {
                    SceneQueryKind.Colour => o is { IsSprite: false } && o.Colour == q.Text,
                    SceneQueryKind.Shape => o is { IsSprite: false } && o.Shape.ToString()!.ToLowerInvariant() == q.Text,
                    SceneQueryKind.Composition or SceneQueryKind.HeldOutComposition =>
                        o is { IsSprite: false } && $"{o.Colour} {o.Shape.ToString()!.ToLowerInvariant()}" == q.Text,
                    SceneQueryKind.ProperNoun => o?.Sprite == q.Text,
                    _ => scene.StuffMap[p] > 0 && World.Stuff[scene.StuffMap[p] - 1].Name == q.Text,
                };
                Assert.True(expected == q.Region[p], $"scene {index}, '{q.Text}' ({q.Kind}), pixel {p}");
            }

        // Pairs are held out exactly when the world says so; stuff and objects partition the image.
        foreach (var q in queries.Where(q => q.Kind is SceneQueryKind.Composition or SceneQueryKind.HeldOutComposition))
        {
            var parts = q.Text.Split(' ');
            Assert.Equal(World.IsHeldOut(parts[0], Enum.Parse<SyntheticShape>(parts[1], ignoreCase: true)), q.Kind == SceneQueryKind.HeldOutComposition);
        }
        var stuff = queries.Where(q => q.Kind == SceneQueryKind.Stuff).ToList();
        for (int p = 0; p < n; p++)
            Assert.Equal(scene.InstanceMap[p] == 0 ? 1 : 0, stuff.Count(s => s.Region[p]));
    }

    [Fact]
    public void TestScenesAskForHeldOutPairsAndSprites()
    {
        var generator = new SyntheticGenerator(World);
        var kinds = Enumerable.Range(0, 40).SelectMany(i => SceneQueries.For(generator.Generate(i, SyntheticSplit.Test), World)).Select(q => q.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<SceneQueryKind>().ToHashSet(), kinds);
    }

    [Fact]
    public void FirstWithFindsTheFirstSceneWithTheKind()
    {
        var scene = SceneQueries.FirstWith(World, SceneQueryKind.HeldOutComposition, start: 2);
        Assert.True(scene.Index >= 2);
        Assert.Contains(SceneQueries.For(scene, World), q => q.Kind == SceneQueryKind.HeldOutComposition);
        var generator = new SyntheticGenerator(World);
        for (int i = 2; i < scene.Index; i++)
            Assert.DoesNotContain(SceneQueries.For(generator.Generate(i, SyntheticSplit.Test), World), q => q.Kind == SceneQueryKind.HeldOutComposition);
        var noSprites = World with { SpriteProbability = 0 };
        Assert.Throws<InvalidOperationException>(() => SceneQueries.FirstWith(noSprites, SceneQueryKind.ProperNoun, limit: 5));
    }
}
