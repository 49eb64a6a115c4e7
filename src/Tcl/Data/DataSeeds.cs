namespace Tcl.Data;

/// <summary>
/// Derives independent, reproducible <see cref="Random"/> seeds from a tuple of integers (seed, epoch, index, …).
/// </summary>
/// <remarks>
/// Every random decision of the data path (shard order, shuffle buffer, each record's augmentation) gets its own
/// generator seeded from <em>where</em> it happens instead of drawing from one shared generator. That is what makes the
/// stream independent of prefetching, of how many records were skipped, and of resuming at a
/// <see cref="DataCursor"/>: the random numbers of record <c>i</c> of epoch <c>e</c> are a function of
/// <c>(seed, e, i)</c> only. <see cref="Random(int)"/> with a seed is the same algorithm on every .NET version
/// (the seeded legacy generator), so shuffles are stable across machines too.
/// </remarks>
public static class DataSeeds
{
    /// <summary>Salt of the per-epoch shard order (<see cref="WebDatasetShards"/>).</summary>
    public const long ShardOrderSalt = 0x5348_4152_44; // "SHARD"

    /// <summary>Salt of the per-epoch streaming shuffle buffer (<see cref="ImageTextLoader"/>).</summary>
    public const long ShuffleSalt = 0x5348_5546_46; // "SHUFF"

    /// <summary>Salt of the per-record augmentation generator (<see cref="ImageTextLoader"/>).</summary>
    public const long AugmentSalt = 0x4155_474D_54; // "AUGMT"

    /// <summary>
    /// A 31-bit seed that depends on every value and their order (SplitMix64 finaliser folded over the values),
    /// so nearby tuples such as (0, 1, 2) and (0, 2, 1) give unrelated generators.
    /// </summary>
    /// <param name="values">The coordinates of the random decision, most significant first.</param>
    public static int Mix(params ReadOnlySpan<long> values)
    {
        ulong h = 0x9E37_79B9_7F4A_7C15UL;
        foreach (long v in values)
            h = SplitMix(h ^ SplitMix(unchecked((ulong)v) + 0x9E37_79B9_7F4A_7C15UL));
        return (int)(h >> 33); // 31 bits: non-negative
    }

    /// <summary>A generator for the decision at <paramref name="values"/> (see <see cref="Mix"/>).</summary>
    /// <param name="values">The coordinates of the random decision, most significant first.</param>
    public static Random Generator(params ReadOnlySpan<long> values) => new(Mix(values));

    /// <summary>In-place Fisher–Yates shuffle with <paramref name="rng"/>.</summary>
    /// <param name="items">The list to permute.</param>
    /// <param name="rng">The generator (consumed).</param>
    public static void Shuffle<T>(IList<T> items, Random rng)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL);
        return z ^ (z >> 31);
    }
}
