namespace Tcl.IO;

/// <summary>
/// A label image as stored: one raw value per pixel, row-major (palette indices for indexed PNGs, grey levels for
/// grayscale ones), never converted to colour (as mmseg 0.27's <c>LoadAnnotations</c> reads it).
/// </summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Pixels">Width·Height stored values, row by row.</param>
/// <param name="Palette">RGB triples of an indexed PNG's PLTE chunk (3 bytes per entry); null for grayscale.</param>
public sealed record LabelMap(int Width, int Height, byte[] Pixels, byte[]? Palette = null);
