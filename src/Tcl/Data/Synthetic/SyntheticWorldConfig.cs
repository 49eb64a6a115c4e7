namespace Tcl.Data.Synthetic;

/// <summary>
/// Everything that defines a synthetic world: image size, seed, what objects and stuff exist, the open-world splits.
/// A small typed record (serialisable to JSON) so that a world is reproducible from its config alone; presets are
/// named values (<see cref="Default"/>), not code branches.
/// </summary>
/// <remarks>
/// Class ids of the ground truth follow the lists' order: object class 0 = background (stuff), 1..S = <see cref="Shapes"/>,
/// S+1..S+P = <see cref="Sprites"/>; stuff class 1..T = <see cref="Stuff"/> (0 = covered by an object).
/// </remarks>
public sealed record SyntheticWorldConfig
{
    /// <summary>Side of the square RGB images in pixels (64 keeps a CPU pretraining run small).</summary>
    public int ImageSize { get; init; } = 64;

    /// <summary>World seed: scene <c>i</c> is a function of (seed, split, i) only.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>Fewest objects per scene.</summary>
    public int MinObjects { get; init; } = 1;

    /// <summary>Most objects per scene.</summary>
    public int MaxObjects { get; init; } = 3;

    /// <summary>The object shapes; the order fixes object class ids 1..S.</summary>
    public IReadOnlyList<SyntheticShape> Shapes { get; init; } = Enum.GetValues<SyntheticShape>();

    /// <summary>The object colours with their exact RGB.</summary>
    public IReadOnlyList<SyntheticColour> Colours { get; init; } =
    [
        new("red", 220, 30, 30), new("green", 40, 170, 50), new("blue", 40, 70, 220), new("yellow", 240, 220, 40),
        new("purple", 140, 50, 180), new("orange", 250, 140, 20), new("white", 250, 250, 250),
    ];

    /// <summary>The stuff textures; the order fixes stuff class ids 1..T.</summary>
    public IReadOnlyList<SyntheticStuff> Stuff { get; init; } =
    [
        new("grass", [[60, 120, 40], [90, 150, 60], [40, 90, 30]]),
        new("sand", [[210, 190, 140], [190, 165, 115], [230, 215, 170]]),
        new("water", [[30, 90, 140], [60, 130, 180], [20, 60, 110]]),
        new("brick", [[150, 60, 45], [120, 45, 35], [190, 185, 175]]),
        new("sky", [[110, 160, 230], [170, 205, 245], [235, 240, 248]]),
    ];

    /// <summary>Colour–shape pairs that never appear in <see cref="SyntheticSplit.Train"/>.</summary>
    public IReadOnlyList<HeldOutPair> HeldOutPairs { get; init; } =
    [
        new("purple", SyntheticShape.Star), new("orange", SyntheticShape.Heart), new("green", SyntheticShape.Ring),
    ];

    /// <summary>The proper-noun sprites (classes S+1..S+P).</summary>
    public IReadOnlyList<SyntheticSprite> Sprites { get; init; } = DefaultSprites;

    /// <summary>How often captions mention each part of a scene.</summary>
    public CaptionStyle Captions { get; init; } = CaptionStyle.Default;

    /// <summary>Object radii as fractions of the image side, per size class: small, medium, large (each a [min, max) range).</summary>
    public IReadOnlyList<double[]> Radii { get; init; } = [[0.10, 0.14], [0.15, 0.20], [0.21, 0.27]];

    /// <summary>Chance that an object carries a pattern (striped or dotted, equally likely).</summary>
    public double PatternProbability { get; init; } = 0.3;

    /// <summary>Chance that an object is a proper-noun sprite instead of a coloured shape.</summary>
    public double SpriteProbability { get; init; } = 0.08;

    /// <summary>Chance that the background is split into two stuff regions (upper and lower) at a wavy horizon.</summary>
    public double TwoStuffProbability { get; init; } = 0.4;

    /// <summary>In <see cref="SyntheticSplit.Test"/>, chance that the first object is forced to be a held-out pair.</summary>
    public double HeldOutProbability { get; init; } = 0.5;

    /// <summary>The default world: 64×64, seed 0, 1–3 objects, 8 shapes × 7 colours, 5 stuff textures, 3 held-out
    /// pairs, 3 sprites.</summary>
    public static SyntheticWorldConfig Default { get; } = new();

    /// <summary>The object class names in label order: "background", the shapes (lower case), the sprite names.</summary>
    public IReadOnlyList<string> ObjectClassNames =>
        ["background", .. Shapes.Select(s => s.ToString().ToLowerInvariant()), .. Sprites.Select(s => s.Name)];

    /// <summary>The stuff class names in label order, 1-based in the stuff map (index 0 here is stuff class 1).</summary>
    public IReadOnlyList<string> StuffClassNames => Stuff.Select(s => s.Name).ToArray();

    /// <summary>Whether <paramref name="colour"/> × <paramref name="shape"/> is held out of training.</summary>
    public bool IsHeldOut(string colour, SyntheticShape shape) =>
        HeldOutPairs.Any(p => p.Shape == shape && string.Equals(p.Colour, colour, StringComparison.Ordinal));

    /// <summary>Throws when the config cannot produce scenes (empty lists, bad ranges, too many classes for a byte).</summary>
    /// <exception cref="ArgumentException">The config is inconsistent; the message says which field.</exception>
    public void Validate()
    {
        if (ImageSize < 16) throw new ArgumentException($"ImageSize must be at least 16, got {ImageSize}.");
        if (MinObjects < 1 || MaxObjects < MinObjects) throw new ArgumentException($"Objects per scene {MinObjects}..{MaxObjects} must satisfy 1 ≤ min ≤ max.");
        Captions.Validate();
        if (Radii.Count != 3 || Radii.Any(r => r.Length != 2 || !(r[0] > 0 && r[0] <= r[1] && r[1] < 0.5)))
            throw new ArgumentException("Radii must hold three [min, max] ranges (small, medium, large) with 0 < min ≤ max < 0.5.");
        if (Shapes.Count == 0 || Colours.Count == 0 || Stuff.Count == 0) throw new ArgumentException("Shapes, Colours and Stuff must not be empty.");
        if (1 + Shapes.Count + Sprites.Count > 255) throw new ArgumentException("Too many object classes for an 8-bit label map.");
        foreach (var s in Stuff)
            if (s.Palette.Count < 2 || s.Palette.Any(c => c.Length != 3)) throw new ArgumentException($"Stuff '{s.Name}' needs at least two RGB colours.");
        foreach (var p in HeldOutPairs)
            if (!Colours.Any(c => c.Name == p.Colour)) throw new ArgumentException($"Held-out colour '{p.Colour}' is not a colour of the world.");
        foreach (var shape in Shapes)
            if (Colours.All(c => IsHeldOut(c.Name, shape))) throw new ArgumentException($"Every colour of {shape} is held out; training could never draw it.");
        foreach (var sp in Sprites)
        {
            if (sp.Rows.Count == 0 || sp.Rows.Any(r => r.Length != sp.Rows.Count)) throw new ArgumentException($"Sprite '{sp.Name}' must be square pixel art.");
            foreach (var r in sp.Rows)
                foreach (var ch in r)
                    if (ch != '.' && !sp.Colours.ContainsKey(ch.ToString())) throw new ArgumentException($"Sprite '{sp.Name}' uses '{ch}' without a colour.");
        }
    }

    private static IReadOnlyList<SyntheticSprite> DefaultSprites =>
    [
        new("zorblat",
            ["..aaaa..", ".abbbba.", "abcbbcba", "abbbbbba", "abddddba", "abbbbbba", ".a.aa.a.", "a..aa..a"],
            new Dictionary<string, byte[]> { ["a"] = [20, 20, 20], ["b"] = [0, 200, 200], ["c"] = [255, 255, 255], ["d"] = [255, 0, 160] }),
        new("quibbit",
            ["...aa...", "..abba..", ".abccba.", "abbccbba", "abbbbbba", ".abddba.", "..a..a..", ".aa..aa."],
            new Dictionary<string, byte[]> { ["a"] = [80, 40, 10], ["b"] = [255, 200, 120], ["c"] = [0, 0, 0], ["d"] = [120, 220, 0] }),
        new("flonk",
            ["aaaaaaaa", "abababab", "bcbcbcbc", "cdcdcdcd", "dcdcdcdc", "cbcbcbcb", "babababa", "aaaaaaaa"],
            new Dictionary<string, byte[]> { ["a"] = [255, 255, 0], ["b"] = [255, 0, 255], ["c"] = [0, 255, 255], ["d"] = [0, 0, 0] }),
    ];
}
