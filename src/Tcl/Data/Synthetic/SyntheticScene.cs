using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Tcl.Data.Synthetic;

/// <summary>
/// One object of a scene with the attributes a caption may mention and its exact per-pixel mask.
/// </summary>
/// <param name="Shape">The shape, or null for a proper-noun sprite.</param>
/// <param name="Colour">The colour name, or null for a sprite (sprites have their own fixed palette).</param>
/// <param name="Sprite">The sprite's name, or null for a shape.</param>
/// <param name="ObjectClass">Its class id in <see cref="SyntheticScene.ObjectClassMap"/> (see <see cref="SyntheticWorldConfig"/>).</param>
/// <param name="Size">Size class.</param>
/// <param name="Pattern">Surface pattern (always <see cref="SyntheticPattern.None"/> for sprites).</param>
/// <param name="CenterX">Centre x in pixels.</param>
/// <param name="CenterY">Centre y in pixels (grows downwards).</param>
/// <param name="Radius">Radius in pixels.</param>
/// <param name="Mask">Visible pixels (row-major, size²): later objects occlude earlier ones.</param>
/// <param name="PatternMask">Visible pixels painted in the pattern's colour rather than <paramref name="Colour"/>.</param>
public sealed record SyntheticObject(
    SyntheticShape? Shape, string? Colour, string? Sprite, int ObjectClass, SyntheticSize Size, SyntheticPattern Pattern,
    double CenterX, double CenterY, double Radius, bool[] Mask, bool[] PatternMask)
{
    /// <summary>Number of visible pixels.</summary>
    public int Area => Mask.Count(m => m);

    /// <summary>Whether this is a proper-noun sprite.</summary>
    public bool IsSprite => Sprite != null;
}

/// <summary>
/// A rendered scene with exact ground truth: the RGB pixels, an object-class map, a stuff map, an instance map and
/// the objects. Everything is a plain buffer so tests can compare pixels with labels without decoding anything.
/// </summary>
/// <param name="Index">The scene's index in its split.</param>
/// <param name="Split">Training or test split.</param>
/// <param name="Size">Image side in pixels.</param>
/// <param name="Rgb">Row-major RGB, 3 bytes per pixel.</param>
/// <param name="ObjectClassMap">Per pixel: 0 = background, 1..S shapes, S+1..S+P sprites.</param>
/// <param name="StuffMap">Per pixel: 1 + stuff index of the visible background, 0 where an object covers it.</param>
/// <param name="InstanceMap">Per pixel: 0 = no object, k = <c>Objects[k − 1]</c>.</param>
/// <param name="Objects">The objects in painting order.</param>
/// <param name="StuffNames">The stuff present, the dominant (largest visible) first.</param>
/// <param name="CaptionSeed">Seed of the caption's own generator, derived from (world seed, split, index).</param>
public sealed record SyntheticScene(
    int Index, SyntheticSplit Split, int Size, byte[] Rgb, byte[] ObjectClassMap, byte[] StuffMap, byte[] InstanceMap,
    IReadOnlyList<SyntheticObject> Objects, IReadOnlyList<string> StuffNames, int CaptionSeed)
{
    /// <summary>A new image of the pixels (the caller disposes it).</summary>
    public Image<Rgb24> ToImage() => Image.LoadPixelData<Rgb24>(Rgb, Size, Size);

    /// <summary>The label map of the "with background" protocol (VOC-like): object classes, background 0.</summary>
    public byte[] WithBackgroundLabels() => (byte[])ObjectClassMap.Clone();
}
