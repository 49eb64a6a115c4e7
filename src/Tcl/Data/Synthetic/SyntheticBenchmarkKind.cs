using System.Text.Json.Serialization;

namespace Tcl.Data.Synthetic;

/// <summary>
/// The synthetic benchmarks. The first two mirror the protocol's two modes (PASCAL VOC with background, COCO-Stuff /
/// ADE20K without); the other three test what image-caption training should give and class-supervised training
/// cannot: colour words, colour–shape compositions never seen in training, names that only captions use.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<SyntheticBenchmarkKind>))]
public enum SyntheticBenchmarkKind
{
    /// <summary>Shapes and sprites on background (label 0): the analogue of PASCAL VOC, background by threshold.</summary>
    Objects,

    /// <summary>Shapes, sprites and the stuff classes (grass, sand …), no background: every pixel has a prompted class.</summary>
    ObjectsAndStuff,

    /// <summary>Objects labelled by colour word ("red", "purple" …) on background; sprites (no colour name) ignored.</summary>
    Colours,

    /// <summary>Only the held-out compositions ("purple star" …) are classes; every other object counts as background,
    /// so a method must tell a purple star from a yellow one. Every scene contains a held-out pair.</summary>
    HeldOut,

    /// <summary>Only the proper-noun sprites ("zorblat" …) are classes, on background; shapes count as background.</summary>
    ProperNouns,
}
