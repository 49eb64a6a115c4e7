namespace Tcl.IO;

/// <summary>
/// PNG row filters (PNG spec §9). <see cref="Adaptive"/> picks, per row, the filter with the smallest sum of absolute
/// signed residuals (the heuristic libpng uses), which suits label maps' long runs.
/// </summary>
public enum PngRowFilter
{
    /// <summary>Raw bytes.</summary>
    None = 0,
    /// <summary>Difference to the byte on the left.</summary>
    Sub = 1,
    /// <summary>Difference to the byte above.</summary>
    Up = 2,
    /// <summary>Difference to the mean of left and above.</summary>
    Average = 3,
    /// <summary>Difference to the Paeth predictor of left, above and upper-left.</summary>
    Paeth = 4,
    /// <summary>Per row, the cheapest of the five.</summary>
    Adaptive = 5,
}
