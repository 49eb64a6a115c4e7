namespace Tcl.Clip.Weights;

/// <summary>Checks on a weight path made before any reader opens it, so the message says what is wrong with the path
/// itself (a folder given where a file belongs is a common slip: the run folder instead of its checkpoint).</summary>
public static class WeightFiles
{
    /// <summary>Throws unless <paramref name="path"/> is an existing file.</summary>
    /// <exception cref="WeightLoadException">The path does not exist, or is a directory (the message says so and,
    /// for a folder holding weight-like files, names a few of them).</exception>
    public static void RequireFile(string path)
    {
        if (Directory.Exists(path))
        {
            var candidates = Directory.EnumerateFiles(path)
                .Where(f => Path.GetExtension(f) is ".pt" or ".pth" or ".bin" or ".safetensors")
                .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            throw new WeightLoadException(path,
                "is a directory; expected a weight file" +
                (candidates.Count > 0 ? $" (this folder holds {WeightLoadException.CappedList(candidates)})." : "."));
        }
        if (!File.Exists(path)) throw new WeightLoadException(path, "file not found.");
    }
}
