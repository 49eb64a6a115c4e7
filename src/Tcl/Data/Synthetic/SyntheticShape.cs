using System.Text.Json.Serialization;

namespace Tcl.Data.Synthetic;

/// <summary>
/// The object shapes of the synthetic world. They play the part of the "thing" classes of a real benchmark: each shape
/// is one object class of the ground truth (class id = 1 + its position in <see cref="SyntheticWorldConfig.Shapes"/>).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SyntheticShape>))]
public enum SyntheticShape
{
    /// <summary>A filled disc.</summary>
    Circle,
    /// <summary>An axis-aligned filled square.</summary>
    Square,
    /// <summary>An upward-pointing triangle.</summary>
    Triangle,
    /// <summary>A five-pointed star.</summary>
    Star,
    /// <summary>A plus-shaped cross.</summary>
    Cross,
    /// <summary>An annulus: the centre shows the stuff behind it, so "ring" masks have holes.</summary>
    Ring,
    /// <summary>A heart (implicit quartic curve).</summary>
    Heart,
    /// <summary>A rhombus standing on a corner.</summary>
    Diamond,
}

/// <summary>
/// A surface pattern painted over an object in a second colour. Patterns make colour words harder (a "striped red
/// star" is not red everywhere) — the analogue of textured real objects.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SyntheticPattern>))]
public enum SyntheticPattern
{
    /// <summary>Plain: every pixel carries the object's colour.</summary>
    None,
    /// <summary>Diagonal stripes.</summary>
    Striped,
    /// <summary>A grid of small dots.</summary>
    Dotted,
}

/// <summary>The size class of an object, as captions name it ("small", "big").</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SyntheticSize>))]
public enum SyntheticSize
{
    /// <summary>Radius about 10–14 % of the image side.</summary>
    Small,
    /// <summary>Radius about 15–20 % of the image side.</summary>
    Medium,
    /// <summary>Radius about 21–27 % of the image side.</summary>
    Large,
}

/// <summary>Which part of the open-world protocol a scene belongs to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SyntheticSplit>))]
public enum SyntheticSplit
{
    /// <summary>Pretraining/TCL training pairs: held-out colour–shape combinations never occur.</summary>
    Train,
    /// <summary>Evaluation scenes: every combination may occur and held-out ones are favoured. Seeds differ from
    /// <see cref="Train"/>, so no evaluation scene is a training scene.</summary>
    Test,
}
