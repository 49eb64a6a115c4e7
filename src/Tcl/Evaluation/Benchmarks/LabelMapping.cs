namespace Tcl.Evaluation.Benchmarks;

/// <summary>
/// A value-to-value relabelling of ground-truth maps that a benchmark's preparation applies (COCO-Object: raw
/// COCO-Stuff-164k ids to object labels). Kept as data in the manifest rather than code so the table is the one the
/// official converter used and can be read by anyone.
/// </summary>
/// <param name="File">The mapping's file inside <c>data-manifests/</c>.</param>
/// <param name="From">What the source values are.</param>
/// <param name="To">What the mapped values are.</param>
/// <param name="Map">Source value → mapped value.</param>
/// <param name="UnlistedValue">What a source value missing from <paramref name="Map"/> becomes.</param>
public sealed record LabelMapping(string File, string From, string To, IReadOnlyDictionary<int, int> Map, int UnlistedValue)
{
    /// <summary>The mapping as a 256-entry lookup table over byte label values.</summary>
    public byte[] ToLookupTable()
    {
        byte[] table = new byte[256];
        for (int v = 0; v < table.Length; v++)
            table[v] = checked((byte)(Map.TryGetValue(v, out int mapped) ? mapped : UnlistedValue));
        return table;
    }
}
