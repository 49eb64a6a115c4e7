namespace Tcl.IO;

/// <summary>
/// Something was wrong with a file and the library carried on (skipped it, fell back, cleaned it up): what a caller
/// shows as a warning. The library never prints; it hands these to a progress callback or a counter.
/// </summary>
/// <param name="Path">The file or folder concerned (a shard, a checkpoint, an output folder).</param>
/// <param name="Message">What was wrong and what was done about it; names <paramref name="Path"/> itself.</param>
public sealed record FileWarning(string Path, string Message)
{
    public override string ToString() => Message;
}
