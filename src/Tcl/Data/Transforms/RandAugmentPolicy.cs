using System.Globalization;
using System.Text.RegularExpressions;

namespace Tcl.Data.Transforms;

/// <summary>A RandAugment policy string that cannot be parsed; the message names the offending section.</summary>
public sealed class RandAugmentPolicyException(string message) : FormatException(message);

/// <summary>
/// A parsed timm RandAugment policy string such as <c>rand-m9-mstd0.5-inc1</c> (timm 0.6.7 <c>rand_augment_transform</c>):
/// dash-separated sections after the leading <c>rand</c>, each a key followed by a number —
/// <c>m</c> magnitude (int, default 10), <c>n</c> ops per image (int, default 2), <c>mstd</c> magnitude noise std
/// (float; above 100 means uniform in [0, m]), <c>mmax</c> magnitude upper clip (int, default 10), <c>inc</c> use the
/// "increasing" op set (int as bool), <c>p</c> per-op probability (default 0.5; timm has no key for it, we accept it).
/// <para>
/// Deviations from timm's parser, all in the direction of saying no: a section without a number, an unknown key,
/// a repeated key or a bad number is an error here (timm ignores number-less sections and asserts on unknown keys);
/// <c>inc0</c> means off (timm's <c>bool("0")</c> would be true); <c>w</c> (op choice weights) is rejected as unsupported.
/// </para>
/// </summary>
/// <param name="Magnitude">Magnitude M on timm's 0..10 scale.</param>
/// <param name="MagnitudeStd">Std of the Gaussian noise on M per op call; 0 = fixed; +∞ = uniform in [0, M].</param>
/// <param name="MagnitudeMax">Upper clip of the noisy magnitude (timm <c>_LEVEL_DENOM</c> 10 unless <c>mmax</c>).</param>
/// <param name="NumOps">Ops chosen (with replacement) per image, N.</param>
/// <param name="Increasing">Whether the "increasing" op set is used (severity grows with M for every op).</param>
/// <param name="Probability">Chance that each chosen op is applied.</param>
public sealed record RandAugmentPolicy(
    int Magnitude = 10,
    double MagnitudeStd = 0,
    double MagnitudeMax = 10,
    int NumOps = 2,
    bool Increasing = false,
    double Probability = 0.5)
{
    /// <summary>TCL's policy, <c>rand-m9-mstd0.5-inc1</c>.</summary>
    public const string Tcl = "rand-m9-mstd0.5-inc1";

    private static readonly Regex Section = new(@"^([a-z]*)(\d.*)$", RegexOptions.CultureInvariant);

    /// <summary>Parses <paramref name="policy"/>; throws <see cref="RandAugmentPolicyException"/> naming the bad part.</summary>
    /// <param name="policy">e.g. <c>rand-m9-mstd0.5-inc1</c>.</param>
    public static RandAugmentPolicy Parse(string policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var parts = policy.Split('-');
        if (parts[0] != "rand")
            throw new RandAugmentPolicyException($"RandAugment policy '{policy}' must start with 'rand', not '{parts[0]}'.");
        var result = new RandAugmentPolicy();
        var seen = new HashSet<string>();
        foreach (var part in parts.Skip(1))
        {
            var match = Section.Match(part);
            if (!match.Success)
                throw new RandAugmentPolicyException(
                    $"RandAugment policy '{policy}': section '{part}' is not a key followed by a number (e.g. 'm9', 'mstd0.5').");
            string key = match.Groups[1].Value, value = match.Groups[2].Value;
            if (!seen.Add(key))
                throw new RandAugmentPolicyException($"RandAugment policy '{policy}': key '{key}' appears twice (section '{part}').");
            result = key switch
            {
                "m" => result with { Magnitude = Int(policy, part, value) },
                "n" => result with { NumOps = Int(policy, part, value) },
                "mstd" => result with { MagnitudeStd = Mstd(Float(policy, part, value)) },
                "mmax" => result with { MagnitudeMax = Int(policy, part, value) },
                "inc" => result with { Increasing = Int(policy, part, value) != 0 },
                "p" => result with { Probability = Probability01(policy, part, Float(policy, part, value)) },
                "w" => throw new RandAugmentPolicyException(
                    $"RandAugment policy '{policy}': section '{part}' (op choice weights) is not supported."),
                _ => throw new RandAugmentPolicyException(
                    $"RandAugment policy '{policy}': unknown key '{key}' in section '{part}' (known: m, n, mstd, mmax, inc, p)."),
            };
        }
        return result;
    }

    /// <summary>The op names this policy chooses from, in timm's order.</summary>
    public IReadOnlyList<RandAugmentOp> Ops => Increasing ? RandAugment.IncreasingOps : RandAugment.StandardOps;

    /// <summary>The canonical string of this policy (keys in timm's documented order).</summary>
    public override string ToString()
    {
        var s = string.Create(CultureInfo.InvariantCulture, $"rand-m{Magnitude}-n{NumOps}");
        if (MagnitudeStd > 0) s += double.IsPositiveInfinity(MagnitudeStd) ? "-mstd101" : string.Create(CultureInfo.InvariantCulture, $"-mstd{MagnitudeStd}");
        if (MagnitudeMax != 10) s += string.Create(CultureInfo.InvariantCulture, $"-mmax{MagnitudeMax}");
        if (Increasing) s += "-inc1";
        if (Probability != 0.5) s += string.Create(CultureInfo.InvariantCulture, $"-p{Probability}");
        return s;
    }

    private static int Int(string policy, string part, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new RandAugmentPolicyException($"RandAugment policy '{policy}': section '{part}' needs a whole number, got '{value}'.");

    private static double Float(string policy, string part, string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new RandAugmentPolicyException($"RandAugment policy '{policy}': section '{part}' needs a number, got '{value}'.");

    private static double Mstd(double value) => value > 100 ? double.PositiveInfinity : value;

    private static double Probability01(string policy, string part, double value) =>
        value <= 1 ? value : throw new RandAugmentPolicyException($"RandAugment policy '{policy}': section '{part}' must be a probability in [0, 1].");
}
