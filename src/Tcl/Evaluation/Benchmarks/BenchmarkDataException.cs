namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// A benchmark's data folder is missing, incomplete or not in the expected layout. The message names the missing
/// folder or file and ends with the manifest to read (e.g. "See data-manifests/voc.json for how to get and prepare
/// PASCAL VOC 2012."), because real datasets are prepared by hand and the fix is nearly always a preparation step.
/// </summary>
public sealed class BenchmarkDataException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">What is wrong, including the manifest hint.</param>
    /// <param name="manifest">The benchmark whose data is affected.</param>
    /// <param name="path">The first missing folder or file, if one is to blame.</param>
    public BenchmarkDataException(string message, BenchmarkManifest manifest, string? path)
        : base(message)
    {
        Manifest = manifest;
        Path = path;
    }

    /// <summary>The benchmark whose data is affected.</summary>
    public BenchmarkManifest Manifest { get; }

    /// <summary>The first missing folder or file, if one is to blame.</summary>
    public string? Path { get; }
}
