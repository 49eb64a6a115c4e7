namespace Tcl.Data.Synthetic;

/// <summary>
/// What each <see cref="SyntheticBenchmarkKind"/> asks: its key, its class names in label order, which scenes it draws
/// and the label map of a scene. Ground truth comes straight from the generator's exact maps, so a benchmark's labels
/// are right by construction, pixel for pixel.
/// </summary>
public static class SyntheticLabeling
{
    /// <summary>Label excluded from the metric (mmseg's ignore index).</summary>
    public const byte Ignore = 255;

    /// <summary>All kinds in report order: the two protocol modes, then the open-world tests.</summary>
    public static IReadOnlyList<SyntheticBenchmarkKind> All { get; } = Enum.GetValues<SyntheticBenchmarkKind>();

    /// <summary>The benchmark key (<c>synthetic_objects</c> …), used for folders, manifests and result tables.</summary>
    public static string Key(SyntheticBenchmarkKind kind) => kind switch
    {
        SyntheticBenchmarkKind.Objects => "synthetic_objects",
        SyntheticBenchmarkKind.ObjectsAndStuff => "synthetic_stuff",
        SyntheticBenchmarkKind.Colours => "synthetic_colours",
        SyntheticBenchmarkKind.HeldOut => "synthetic_heldout",
        SyntheticBenchmarkKind.ProperNouns => "synthetic_names",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Whether label 0 is an unprompted background (thresholded) as in PASCAL VOC.</summary>
    public static bool WithBackground(SyntheticBenchmarkKind kind) => kind != SyntheticBenchmarkKind.ObjectsAndStuff;

    /// <summary>One sentence on what the benchmark measures, for manifests and reports.</summary>
    public static string Description(SyntheticBenchmarkKind kind) => kind switch
    {
        SyntheticBenchmarkKind.Objects => "shapes and proper-noun sprites on background (with background, like PASCAL VOC)",
        SyntheticBenchmarkKind.ObjectsAndStuff => "shapes, sprites and stuff textures, every pixel a prompted class (without background, like COCO-Stuff)",
        SyntheticBenchmarkKind.Colours => "objects by colour word on background; sprites ignored (\"bananas by colour\")",
        SyntheticBenchmarkKind.HeldOut => "colour–shape compositions never seen in training; other objects count as background",
        SyntheticBenchmarkKind.ProperNouns => "sprites known only by name from captions; shapes count as background",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Class names in label order (label k = names[k]); with background, names[0] is "background".</summary>
    public static IReadOnlyList<string> ClassNames(SyntheticBenchmarkKind kind, SyntheticWorldConfig world) => kind switch
    {
        SyntheticBenchmarkKind.Objects => world.ObjectClassNames,
        SyntheticBenchmarkKind.ObjectsAndStuff => [.. world.ObjectClassNames.Skip(1), .. world.StuffClassNames],
        SyntheticBenchmarkKind.Colours => ["background", .. world.Colours.Select(c => c.Name)],
        SyntheticBenchmarkKind.HeldOut => ["background", .. world.HeldOutPairs.Select(PairName)],
        SyntheticBenchmarkKind.ProperNouns => ["background", .. world.Sprites.Select(s => s.Name)],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The world whose test scenes the benchmark draws: held-out pairs in every scene for
    /// <see cref="SyntheticBenchmarkKind.HeldOut"/>, sprites in about half the objects for
    /// <see cref="SyntheticBenchmarkKind.ProperNouns"/>, the world itself otherwise.</summary>
    public static SyntheticWorldConfig SceneWorld(SyntheticBenchmarkKind kind, SyntheticWorldConfig world) => kind switch
    {
        SyntheticBenchmarkKind.HeldOut => world with { HeldOutProbability = 1.0, SpriteProbability = 0.0 },
        SyntheticBenchmarkKind.ProperNouns => world with { SpriteProbability = 0.5 },
        _ => world,
    };

    /// <summary>The label map (row-major, size²) of <paramref name="scene"/> for <paramref name="kind"/>.</summary>
    public static byte[] Labels(SyntheticBenchmarkKind kind, SyntheticScene scene, SyntheticWorldConfig world)
    {
        int n = scene.Size * scene.Size, shapes = world.Shapes.Count, objectClasses = shapes + world.Sprites.Count;
        var labels = new byte[n];
        switch (kind)
        {
            case SyntheticBenchmarkKind.Objects:
                return scene.WithBackgroundLabels();
            case SyntheticBenchmarkKind.ObjectsAndStuff:
                // Objects 1..S+P become 0..S+P−1; visible stuff t (1-based) becomes S+P+t−1.
                for (int p = 0; p < n; p++)
                    labels[p] = scene.ObjectClassMap[p] > 0
                        ? (byte)(scene.ObjectClassMap[p] - 1)
                        : (byte)(objectClasses + scene.StuffMap[p] - 1);
                return labels;
            default:
                var byInstance = scene.Objects.Select(o => ObjectLabel(kind, o, world)).ToArray();
                for (int p = 0; p < n; p++)
                    labels[p] = scene.InstanceMap[p] == 0 ? (byte)0 : byInstance[scene.InstanceMap[p] - 1];
                return labels;
        }
    }

    /// <summary>"purple star": how a held-out pair is prompted.</summary>
    public static string PairName(HeldOutPair pair) => $"{pair.Colour} {pair.Shape.ToString().ToLowerInvariant()}";

    // FindIndex gives −1 for an object that is not a class of the benchmark: 1 + (−1) = 0, the background.
    private static byte ObjectLabel(SyntheticBenchmarkKind kind, SyntheticObject o, SyntheticWorldConfig world) => kind switch
    {
        SyntheticBenchmarkKind.Colours => o.IsSprite ? Ignore : (byte)(1 + world.Colours.ToList().FindIndex(c => c.Name == o.Colour)),
        SyntheticBenchmarkKind.HeldOut => (byte)(1 + world.HeldOutPairs.ToList().FindIndex(h => !o.IsSprite && h.Shape == o.Shape && h.Colour == o.Colour)),
        SyntheticBenchmarkKind.ProperNouns => (byte)(1 + world.Sprites.ToList().FindIndex(s => s.Name == o.Sprite)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
