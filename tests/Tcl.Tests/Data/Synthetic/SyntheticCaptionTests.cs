using Tcl.Data.Synthetic;
using Xunit;
using Xunit.Abstractions;

namespace Tcl.Tests.Data.Synthetic;

/// <summary>Captions of synthetic scenes: they mention only what is present, and they vary.</summary>
public class SyntheticCaptionTests(ITestOutputHelper output)
{
    private static readonly SyntheticWorldConfig Config = SyntheticWorldConfig.Default;

    [Fact]
    public void Captions_mention_only_present_objects_colours_patterns_stuff_and_sprites()
    {
        var generator = new SyntheticGenerator(Config);
        for (int i = 0; i < 1000; i++)
        {
            var scene = generator.Generate(i, i % 2 == 0 ? SyntheticSplit.Train : SyntheticSplit.Test);
            string caption = CaptionWriter.Write(scene);
            var words = CaptionWriter.Words(caption).ToHashSet();
            var visible = scene.Objects.Where(o => o.Area > 0).ToList();
            foreach (var (shape, nouns) in CaptionWriter.ShapeWords)
                foreach (var noun in nouns)
                    if (words.Contains(noun) || words.Contains(noun + "s") || words.Contains(noun + "es"))
                        Assert.True(visible.Any(o => o.Shape == shape), $"'{caption}' names {shape} but scene {i} has none");
            foreach (var (colour, synonyms) in CaptionWriter.ColourWords)
                if (synonyms.Any(words.Contains))
                    Assert.True(visible.Any(o => o.Colour == colour), $"'{caption}' names {colour}");
            foreach (var (pattern, adjectives) in CaptionWriter.PatternWords)
                if (adjectives.Any(words.Contains))
                    Assert.True(visible.Any(o => o.Pattern == pattern), $"'{caption}' names {pattern}");
            foreach (var sprite in Config.Sprites)
                if (words.Contains(sprite.Name) || words.Contains(sprite.Name + "s"))
                    Assert.True(visible.Any(o => o.Sprite == sprite.Name), $"'{caption}' names {sprite.Name}");
            foreach (var stuff in Config.Stuff)
                if (words.Contains(stuff.Name))
                    Assert.Contains(stuff.Name, scene.StuffNames);
            // Something present is always named.
            Assert.True(visible.Any(o => o.IsSprite ? words.Contains(o.Sprite!) || words.Contains(o.Sprite + "s")
                : CaptionWriter.ShapeWords[o.Shape!.Value].Any(nw => words.Contains(nw) || words.Contains(nw + "s") || words.Contains(nw + "es"))),
                $"'{caption}' names no object of scene {i}");
        }
    }

    [Fact]
    public void Sprites_are_named_only_by_their_proper_noun()
    {
        var generator = new SyntheticGenerator(Config with { SpriteProbability = 1.0, MinObjects = 1, MaxObjects = 1 });
        for (int i = 0; i < 100; i++)
        {
            var scene = generator.Generate(i);
            var words = CaptionWriter.Words(CaptionWriter.Write(scene));
            Assert.DoesNotContain(words, w => CaptionWriter.ShapeWords.Values.Any(ns => ns.Contains(w)) || CaptionWriter.ColourWords.Values.Any(cs => cs.Contains(w)));
            Assert.Contains(words, w => w == scene.Objects[0].Sprite);
        }
    }

    [Fact]
    public void Captions_are_varied()
    {
        var generator = new SyntheticGenerator(Config);
        var captions = Enumerable.Range(0, 500).Select(i => CaptionWriter.Write(generator.Generate(i))).ToList();
        Assert.True(captions.Distinct().Count() > 400, $"only {captions.Distinct().Count()} distinct captions of 500");
        var vocabulary = captions.SelectMany(CaptionWriter.Words).ToHashSet();
        foreach (var w in new[] { "above", "two", "small", "striped", "box", "sand", "and" })
            Assert.Contains(w, vocabulary);
        Assert.Contains(captions, c => CaptionWriter.Words(c).Any(CaptionWriter.Distractors.Contains));
        var firstWords = captions.Select(c => CaptionWriter.Words(c)[0]).Distinct().Count();
        Assert.True(firstWords > 10, $"captions start with only {firstWords} different words");
        foreach (var c in captions.Take(12)) output.WriteLine(c);
    }
}
