using System.Text;

namespace Tcl.Data.Synthetic;

/// <summary>
/// Writes web-like captions for synthetic scenes: varied templates, synonyms, counts, spatial relations, attributes
/// and distractor words ("a small red star above a blue box on sand"). As in web alt-text, not every object is
/// mentioned, but everything mentioned is present — a caption never names an absent shape, colour, pattern, stuff or
/// sprite. Deterministic: the words are drawn from a generator seeded by the scene's <see cref="SyntheticScene.CaptionSeed"/>.
/// </summary>
public static class CaptionWriter
{
    /// <summary>The nouns a caption may use for each shape (the first is the canonical class name).</summary>
    public static IReadOnlyDictionary<SyntheticShape, string[]> ShapeWords { get; } = new Dictionary<SyntheticShape, string[]>
    {
        [SyntheticShape.Circle] = ["circle", "disc", "ball"],
        [SyntheticShape.Square] = ["square", "box", "block"],
        [SyntheticShape.Triangle] = ["triangle", "wedge"],
        [SyntheticShape.Star] = ["star"],
        [SyntheticShape.Cross] = ["cross", "plus"],
        [SyntheticShape.Ring] = ["ring", "donut", "hoop"],
        [SyntheticShape.Heart] = ["heart"],
        [SyntheticShape.Diamond] = ["diamond", "rhombus"],
    };

    /// <summary>Synonyms a caption may use for a colour name (the name itself is always allowed).</summary>
    public static IReadOnlyDictionary<string, string[]> ColourWords { get; } = new Dictionary<string, string[]>
    {
        ["red"] = ["red", "scarlet"], ["green"] = ["green"], ["blue"] = ["blue"], ["yellow"] = ["yellow", "golden"],
        ["purple"] = ["purple", "violet"], ["orange"] = ["orange"], ["white"] = ["white"],
    };

    /// <summary>Pattern adjectives.</summary>
    public static IReadOnlyDictionary<SyntheticPattern, string[]> PatternWords { get; } = new Dictionary<SyntheticPattern, string[]>
    {
        [SyntheticPattern.Striped] = ["striped", "stripy"], [SyntheticPattern.Dotted] = ["dotted", "spotted", "polka-dot"],
    };

    /// <summary>Size adjectives.</summary>
    public static IReadOnlyDictionary<SyntheticSize, string[]> SizeWords { get; } = new Dictionary<SyntheticSize, string[]>
    {
        [SyntheticSize.Small] = ["small", "tiny", "little"], [SyntheticSize.Medium] = ["medium-sized", ""], [SyntheticSize.Large] = ["big", "large", "huge"],
    };

    /// <summary>Phrases for a scene's stuff ("on sand").</summary>
    public static IReadOnlyDictionary<string, string[]> StuffPhrases { get; } = new Dictionary<string, string[]>
    {
        ["grass"] = ["on grass", "on the grass", "in a meadow of grass", "on a lawn of grass"],
        ["sand"] = ["on sand", "on the sand", "on a sandy beach"],
        ["water"] = ["on water", "floating on the water", "over the water"],
        ["brick"] = ["against a brick wall", "in front of bricks", "on brick"],
        ["sky"] = ["in the sky", "against the sky", "up in the sky"],
    };

    /// <summary>Words that carry no scene content (web-caption noise); none of them names a shape, colour or stuff.</summary>
    public static IReadOnlyList<string> Distractors { get; } =
        ["wow", "nice", "cute", "lovely", "photo", "picture", "image", "today", "cool", "awesome", "random", "art", "design", "stock", "hd", "free"];

    private static readonly string[] Counts = ["", "", "two", "three"];

    /// <summary>A caption for <paramref name="scene"/>; the same scene always gets the same caption.</summary>
    /// <param name="scene">The scene.</param>
    /// <param name="style">How often each part is mentioned (<see cref="CaptionStyle.Default"/> when null).</param>
    public static string Write(SyntheticScene scene, CaptionStyle? style = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        style ??= CaptionStyle.Default;
        var random = new Random(scene.CaptionSeed);
        var objects = scene.Objects.Where(o => o.Area > 0).ToList();
        // Mention a random non-empty subset, biased towards all (web captions often skip something).
        var mentioned = objects.Where(_ => random.NextDouble() < style.Object).ToList();
        if (mentioned.Count == 0 && objects.Count > 0) mentioned.Add(objects[random.Next(objects.Count)]);
        mentioned = mentioned.OrderBy(o => scene.Objects.ToList().IndexOf(o)).ToList();

        // Group identical-looking mentions for counting ("two red stars").
        var groups = mentioned.GroupBy(o => (o.Shape, o.Colour, o.Sprite, o.Pattern)).Select(g => g.ToList()).ToList();
        var phrases = groups.Select(g => NounPhrase(g, random, style)).ToList();

        string body;
        if (phrases.Count >= 2 && groups[0].Count == 1 && groups[1].Count == 1 && random.NextDouble() < 0.6)
        {
            string relation = Relation(groups[0][0], groups[1][0], random);
            body = $"{phrases[0]} {relation} {phrases[1]}";
            if (phrases.Count > 2) body += $" and {string.Join(" and ", phrases.Skip(2))}";
        }
        else body = Join(phrases, random);

        string? stuff = scene.StuffNames.Count > 0 && StuffPhrases.TryGetValue(scene.StuffNames[0], out var sp) && random.NextDouble() < style.Stuff
            ? Pick(sp, random) : null;
        string caption = random.Next(7) switch
        {
            0 => stuff != null ? $"{body} {stuff}" : body,
            1 => $"a photo of {body}" + (stuff != null ? $" {stuff}" : ""),
            2 => $"there is {body}" + (stuff != null ? $" {stuff}" : ""),
            3 => stuff != null ? $"{stuff[0..1].ToUpperInvariant()}{stuff[1..]}: {body}" : $"{body}!",
            4 => $"{body}" + (stuff != null ? $", {stuff}" : "") + " in this picture",
            5 => $"look at {body}" + (stuff != null ? $" {stuff}" : ""),
            _ => $"{body}" + (stuff != null ? $" {stuff}" : "") + ".",
        };
        if (random.NextDouble() < 0.35) caption = $"{Pick(Distractors, random)} {caption}";
        if (random.NextDouble() < 0.25) caption = $"{caption} #{Pick(Distractors, random)}";
        return Collapse(caption);
    }

    /// <summary>The content words of <paramref name="caption"/> (lower case, split at anything but letters and '-'), as
    /// tests and evaluation checks read it.</summary>
    public static IReadOnlyList<string> Words(string caption) =>
        new string(caption.ToLowerInvariant().Select(c => char.IsLetter(c) || c == '-' ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string NounPhrase(List<SyntheticObject> group, Random random, CaptionStyle style)
    {
        var o = group[0];
        int count = group.Count;
        if (o.IsSprite)
        {
            if (count > 1) return $"{Counts[Math.Min(count, 3)]} {o.Sprite}s";
            return random.Next(3) switch { 0 => o.Sprite!, 1 => $"the {o.Sprite}", _ => $"a {o.Sprite}" };
        }
        var words = new List<string>();
        if (count == 1 && random.NextDouble() < style.Size) { var s = Pick(SizeWords[o.Size], random); if (s.Length > 0) words.Add(s); }
        if (o.Pattern != SyntheticPattern.None && random.NextDouble() < style.Pattern) words.Add(Pick(PatternWords[o.Pattern], random));
        if (random.NextDouble() < style.Colour) words.Add(Pick(ColourWords.TryGetValue(o.Colour!, out var cw) ? cw : [o.Colour!], random));
        string noun = Pick(ShapeWords[o.Shape!.Value], random);
        if (count > 1) noun = Plural(noun);
        words.Add(noun);
        string phrase = string.Join(' ', words);
        if (count > 1) return $"{Counts[Math.Min(count, 3)]} {phrase}";
        return random.Next(4) == 0 ? $"the {phrase}" : $"{Article(phrase)} {phrase}";
    }

    private static string Relation(SyntheticObject a, SyntheticObject b, Random random)
    {
        double dx = b.CenterX - a.CenterX, dy = b.CenterY - a.CenterY;
        if (random.NextDouble() < 0.2) return Pick(["next to", "near", "and", "with"], random);
        if (Math.Abs(dy) > Math.Abs(dx)) return dy > 0 ? Pick(["above", "over"], random) : Pick(["below", "under", "beneath"], random);
        return dx > 0 ? Pick(["left of", "to the left of"], random) : Pick(["right of", "to the right of"], random);
    }

    private static string Join(List<string> phrases, Random random)
    {
        if (phrases.Count == 1) return phrases[0];
        string and = random.Next(3) == 0 ? " with " : " and ";
        return string.Join(", ", phrases.Take(phrases.Count - 1)) + and + phrases[^1];
    }

    private static string Plural(string noun) => noun switch
    {
        "box" => "boxes", "cross" => "crosses", "plus" => "pluses", "rhombus" => "rhombuses", _ => noun + "s",
    };

    private static string Article(string phrase) => "aeiou".Contains(phrase[0]) ? "an" : "a";

    private static string Pick(IReadOnlyList<string> options, Random random) => options[random.Next(options.Count)];

    private static string Collapse(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
            if (!(c == ' ' && sb.Length > 0 && sb[^1] == ' ')) sb.Append(c);
        return sb.ToString().Trim();
    }
}
