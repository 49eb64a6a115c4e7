namespace Tcl.Data.Synthetic;

/// <summary>A named object colour. Objects are painted in exactly this RGB, so ground-truth tests can check pixels.</summary>
/// <param name="Name">The caption word ("red").</param>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public sealed record SyntheticColour(string Name, byte R, byte G, byte B);

/// <summary>
/// A "stuff" class: a procedural background texture (the analogue of grass, sky, road in COCO-Stuff or ADE20K).
/// The texture family is chosen by <paramref name="Name"/> (grass, sand, water, brick, sky; anything else is plain
/// noise), the colours by <paramref name="Palette"/>.
/// </summary>
/// <param name="Name">The caption word and the texture family.</param>
/// <param name="Palette">Two or three RGB colours (r, g, b triples) the texture mixes.</param>
public sealed record SyntheticStuff(string Name, IReadOnlyList<byte[]> Palette);

/// <summary>A colour–shape combination that never occurs in the training split (e.g. "purple star").</summary>
/// <param name="Colour">The colour name.</param>
/// <param name="Shape">The shape.</param>
public sealed record HeldOutPair(string Colour, SyntheticShape Shape);

/// <summary>
/// A "proper-noun" sprite: one fixed, unique pixel-art look that captions call only by its name ("zorblat") — never by
/// shape or colour — the synthetic analogue of segmenting "Frodo". Drawn scaled with nearest-neighbour sampling.
/// </summary>
/// <param name="Name">The name used in captions and as the class name.</param>
/// <param name="Rows">Square pixel art, one string per row; '.' is transparent, other characters index <paramref name="Colours"/>.</param>
/// <param name="Colours">Character → RGB (3 bytes) of the sprite's fixed palette.</param>
public sealed record SyntheticSprite(string Name, IReadOnlyList<string> Rows, IReadOnlyDictionary<string, byte[]> Colours);
