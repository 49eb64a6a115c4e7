namespace Tcl.Evaluation.Metrics;

/// <summary>
/// How ground-truth label maps are read into classes before counting, exactly as mmseg 0.27's
/// <c>intersect_and_union</c> does it (<c>mmseg/core/evaluation/metrics.py</c>): first <see cref="LabelMap"/> (every
/// stored value looked up in the original map, so chained mappings do not compound), then <see cref="ReduceZeroLabel"/>
/// (0 → 255, v → v − 1, 255 stays 255), then pixels whose label equals <see cref="IgnoreIndex"/> are dropped.
/// </summary>
/// <param name="NumClasses">Number of classes C; only values 0..C−1 are counted (mmseg's <c>histc</c> range).</param>
/// <param name="ReduceZeroLabel">Treat stored 0 as "unlabelled" and shift the other labels down by one (VOC20, Context59, ADE20K).</param>
/// <param name="IgnoreIndex">Ground-truth value whose pixels are not scored (255 in every benchmark).</param>
/// <param name="LabelMap">Optional stored value → label value remapping (mmseg's <c>label_map</c>); both sides 0..255.</param>
/// <param name="ClassNames">Names in label order, written into the scores; <c>class_0</c>… when absent.</param>
public sealed record SegmentationMetricConfig(
    int NumClasses,
    bool ReduceZeroLabel = false,
    int IgnoreIndex = 255,
    IReadOnlyDictionary<int, int>? LabelMap = null,
    IReadOnlyList<string>? ClassNames = null)
{
    /// <summary>The class names to report: <see cref="ClassNames"/> or <c>class_0</c>, <c>class_1</c>, ….</summary>
    public IReadOnlyList<string> ResolvedClassNames =>
        ClassNames ?? Enumerable.Range(0, NumClasses).Select(i => $"class_{i}").ToArray();

    /// <summary>Checks the settings; the message says which one is wrong.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (NumClasses < 1) throw new ArgumentException($"NumClasses must be at least 1 (got {NumClasses}).");
        if (ClassNames is not null && ClassNames.Count != NumClasses)
            throw new ArgumentException($"ClassNames has {ClassNames.Count} names but NumClasses is {NumClasses}.");
        if (LabelMap is not null)
            foreach (var (from, to) in LabelMap)
                if ((uint)from > 255 || (uint)to > 255)
                    throw new ArgumentException($"LabelMap entry {from} → {to} is outside 0..255 (label maps are 8-bit).");
    }

    /// <summary>
    /// The whole stored-value → label transform as a 256-entry table (label_map then reduce_zero_label), so the
    /// per-pixel loop is one lookup. Built once per accumulator.
    /// </summary>
    internal byte[] BuildLookup()
    {
        Validate();
        var lut = new byte[256];
        for (int v = 0; v < 256; v++)
        {
            int g = LabelMap is not null && LabelMap.TryGetValue(v, out var mapped) ? mapped : v;
            if (ReduceZeroLabel)
                // mmseg: label[label == 0] = 255; label = label - 1; label[label == 254] = 255 (uint8 arithmetic).
                g = g == 0 || g == 255 ? 255 : g - 1;
            lut[v] = (byte)g;
        }
        return lut;
    }
}
