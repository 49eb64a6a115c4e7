using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Tcl.Data;

/// <summary>
/// One image-caption pair as a dataset streams it. The image is decoded only when asked for, so a loader can skip
/// records (resuming, shuffling) without paying for JPEG decoding, and a corrupt image surfaces as an exception of
/// <see cref="DecodeImage"/> that the loader counts and skips.
/// </summary>
/// <param name="Key">Unique key of the sample (webdataset key, or a generated id).</param>
/// <param name="Caption">The raw caption (tokenised by the loader).</param>
/// <param name="DecodeImage">Decodes the image as RGB; throws (e.g. <see cref="UnknownImageFormatException"/>,
/// <see cref="InvalidImageContentException"/>, <see cref="TruncatedImageException"/>, or anything else a decoder throws
/// on crafted bytes) when the stored bytes are not a readable image.</param>
/// <param name="Source">Where the record was read from (a shard path), for warnings; null when unknown.</param>
public sealed record ImageTextRecord(string Key, string Caption, Func<Image<Rgb24>> DecodeImage, string? Source = null);
