namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// The 8 benchmarks of TCL's unified zero-shot evaluation (paper Table 2), loaded once from the manifests embedded in
/// the assembly (copies of the repository's <c>data-manifests/</c>), so the evaluation needs no files besides the data
/// itself and every key, class list and setting has a single source.
/// </summary>
public static class BenchmarkCatalog
{
    /// <summary>The repository folder holding the manifests, as messages cite it.</summary>
    public const string ManifestFolder = "data-manifests";

    /// <summary>The keys in the order of the paper's table: with background, then without.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["voc", "context", "coco_object", "voc20", "context59", "coco_stuff", "cityscapes", "ade20k"];

    private const string ResourcePrefix = "Tcl.Evaluation.Benchmarks.Manifests.";

    private static readonly Lazy<IReadOnlyList<BenchmarkManifest>> Loaded = new(() => Keys.Select(LoadEmbedded).ToArray());

    /// <summary>All 8 manifests, in <see cref="Keys"/> order.</summary>
    public static IReadOnlyList<BenchmarkManifest> All => Loaded.Value;

    /// <summary>The manifest of <paramref name="key"/> (case-insensitive).</summary>
    /// <param name="key">A benchmark key such as <c>voc</c> or <c>ADE20K</c>.</param>
    /// <exception cref="ArgumentException">Unknown key; the message lists the known keys.</exception>
    public static BenchmarkManifest Get(string key) =>
        TryGet(key, out BenchmarkManifest? manifest)
            ? manifest
            : throw new ArgumentException($"Unknown benchmark '{key}': expected one of {string.Join(", ", Keys)}.", nameof(key));

    /// <summary>Looks a benchmark up without throwing.</summary>
    /// <param name="key">A benchmark key (case-insensitive).</param>
    /// <param name="manifest">The manifest, when found.</param>
    public static bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BenchmarkManifest? manifest)
    {
        manifest = All.FirstOrDefault(m => string.Equals(m.Key, key?.Trim(), StringComparison.OrdinalIgnoreCase));
        return manifest is not null;
    }

    private static BenchmarkManifest LoadEmbedded(string key)
    {
        using Stream json = OpenResource($"{key}.json");
        return ManifestReader.Read(json, relative => OpenResource(relative.Replace('\\', '/').Replace('/', '.')));
    }

    private static Stream OpenResource(string relativeName) =>
        typeof(BenchmarkCatalog).Assembly.GetManifestResourceStream(ResourcePrefix + relativeName)
        ?? throw new InvalidOperationException($"Embedded resource '{ResourcePrefix}{relativeName}' is missing from the Tcl assembly.");
}
