namespace Tcl.Data;

/// <summary>The bytes of an image stop before the image does (see <see cref="ImageBytes"/>).</summary>
public sealed class TruncatedImageException(string message) : IOException(message);
