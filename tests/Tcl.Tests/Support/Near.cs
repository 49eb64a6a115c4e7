using Xunit.Sdk;

namespace Tcl.Tests.Support;

/// <summary>
/// Scalar float comparisons with an explicit tolerance, never by rounding. xunit's
/// <c>Assert.Equal(double, double, int precision)</c> rounds both values to <c>precision</c> digits and compares the
/// rounded values, so two results 1.5e-8 apart fail whenever they straddle a rounding boundary (0.727254987 vs
/// 0.727255002 at 5 digits) and pass otherwise. Every float assert in the suite states its tolerance with these.
/// </summary>
public static class Near
{
    /// <summary>float32 machine epsilon (2⁻²³): the relative spacing of float32 values near 1.</summary>
    public const double Float32Eps = 1.1920929e-7;

    /// <summary>Asserts <c>|expected − actual| ≤ tolerance</c>; NaN only equals NaN.</summary>
    public static void Abs(double expected, double actual, double tolerance, string? what = null)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual)) return;
        double diff = Math.Abs(expected - actual);
        if (!(diff <= tolerance))
            throw new XunitException($"{(what is null ? "" : what + ": ")}expected {expected:G17}, actual {actual:G17}, |diff| {diff:E3} > tolerance {tolerance:E3}");
    }

    /// <summary>
    /// Asserts <c>|expected − actual| ≤ atol + rtol·|expected|</c> (numpy's <c>isclose</c> rule): for results whose
    /// rounding error scales with their magnitude (losses, norms, learning rates).
    /// </summary>
    public static void Rel(double expected, double actual, double rtol, double atol = 0, string? what = null) =>
        Abs(expected, actual, atol + rtol * Math.Abs(expected), what);
}
