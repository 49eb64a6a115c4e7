using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Tcl.Data;

/// <summary>
/// Decodes the image bytes of a sample, refusing those that end before the image does. ImageSharp decodes a JPEG or
/// PNG whose tail is missing without complaint and paints the missing rows grey, and it cannot say that it did; PIL,
/// which webdataset and the official pipeline decode with, raises "image file is truncated" instead, and a training
/// sample that is half grey teaches the wrong thing. So the end of the file is checked first: a JPEG must close its
/// last scan with the EOI marker, a PNG must end in its IEND chunk.
/// </summary>
public static class ImageBytes
{
    private static ReadOnlySpan<byte> JpegStart => [0xFF, 0xD8];
    private static ReadOnlySpan<byte> JpegScanStart => [0xFF, 0xDA];
    private static ReadOnlySpan<byte> JpegEnd => [0xFF, 0xD9];
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> PngEnd => [(byte)'I', (byte)'E', (byte)'N', (byte)'D'];

    /// <summary>Decodes <paramref name="bytes"/> as RGB.</summary>
    /// <exception cref="TruncatedImageException">A JPEG or PNG that decoded although its end is missing (so partly grey).</exception>
    /// <remarks>Bytes that do not decode at all fail with ImageSharp's own exception, of whatever type (a valid JPEG
    /// header followed by garbage has made it throw <see cref="NullReferenceException"/>): that is a corrupt image, and
    /// the loader treats every such exception as one. The end is checked only after a successful decode, so garbage
    /// is reported as corrupt, not as truncated.</remarks>
    public static Image<Rgb24> Decode(byte[] bytes)
    {
        var image = Image.Load<Rgb24>(bytes);
        if (!IsTruncated(bytes, out string format)) return image;
        image.Dispose();
        throw new TruncatedImageException($"the {format} ends before its image data does ({bytes.Length:N0} bytes; a cut download?)");
    }

    /// <summary>True for a JPEG without an EOI marker after its last scan, or a PNG without an IEND chunk.</summary>
    public static bool IsTruncated(ReadOnlySpan<byte> bytes, out string format)
    {
        if (bytes.StartsWith(JpegStart))
        {
            format = "JPEG";
            // Inside entropy-coded data every 0xFF is followed by 0x00 or a restart marker, so FF DA / FF D9 there are
            // real markers; the last SOS is the main image's (an EXIF thumbnail's comes earlier), and EOI must follow it.
            int scan = bytes.LastIndexOf(JpegScanStart);
            return scan < 0 || bytes[scan..].IndexOf(JpegEnd) < 0;
        }
        if (bytes.StartsWith(PngSignature))
        {
            format = "PNG";
            return bytes.LastIndexOf(PngEnd) < 0;
        }
        format = "";
        return false;
    }
}
