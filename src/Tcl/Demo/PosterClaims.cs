namespace Tcl.Demo;

/// <summary>How two ablation rows are claimed to compare.</summary>
public enum ClaimRelation
{
    /// <summary>Left is far above right: by at least <see cref="PosterClaims.MuchAboveMargin"/> mIoU points.</summary>
    MuchAbove,

    /// <summary>Left and right are about equal: within <see cref="PosterClaims.AboutMargin"/> points.</summary>
    About,

    /// <summary>Left is below right (any margin).</summary>
    Below,
}

/// <summary>Whether our numbers show a claim.</summary>
public enum ClaimVerdict
{
    /// <summary>Our rows compare as the poster's do.</summary>
    Reproduced,

    /// <summary>Our rows do not.</summary>
    NotReproduced,

    /// <summary>One of the two rows was not in the study.</summary>
    NotRun,
}

/// <summary>One of the poster's ablation readings (its tables (a) and (b)) and what our study says about it.</summary>
/// <param name="Text">The claim, e.g. <c>C ≫ A</c>.</param>
/// <param name="Reading">What the poster concludes from it.</param>
/// <param name="Left">Left row.</param>
/// <param name="Relation">The claimed relation.</param>
/// <param name="Right">Right row.</param>
/// <param name="PosterDelta">Left − right on the poster (VOC20 mIoU points).</param>
/// <param name="OursDelta">Left − right in our study (mean synthetic mIoU points), null when not run.</param>
/// <param name="Verdict">Whether our numbers show it.</param>
public sealed record PosterClaim(string Text, string Reading, string Left, ClaimRelation Relation, string Right, double PosterDelta, double? OursDelta, ClaimVerdict Verdict);

/// <summary>
/// The poster's orderings of the ablation rows (its tables (a) and (b)) checked against a study's headline numbers
/// (<see cref="AblationRow.Mean"/>): C ≫ A (TCL is what lifts segmentation), B ≈ A (the decoder alone does not
/// help), E and F below C (both TCL terms are needed), H below C (the area prior keeps masks from covering
/// everything), G below C (plain image-text CL on top of TCL hurts). One seed per row: a difference of a few tenths
/// is within run-to-run noise, which the verdicts do not model — read the deltas, not only the verdicts.
/// </summary>
public static class PosterClaims
{
    /// <summary>Smallest margin that counts as "far above" (the poster's C − A is 24.2).</summary>
    public const double MuchAboveMargin = 5.0;

    /// <summary>Largest difference that counts as "about equal" (the poster's B − A is −0.9).</summary>
    public const double AboutMargin = 2.0;

    private static readonly (string Text, string Reading, string Left, ClaimRelation Relation, string Right)[] Claims =
    [
        ("C ≫ A", "TCL is what lifts segmentation (baseline to full method)", "C", ClaimRelation.MuchAbove, "A"),
        ("B ≈ A", "the decoder alone, trained with CL, does not help", "B", ClaimRelation.About, "A"),
        ("E < C", "feature-level TCL adds to image-level TCL", "E", ClaimRelation.Below, "C"),
        ("F < C", "image-level TCL adds to feature-level TCL", "F", ClaimRelation.Below, "C"),
        ("H < C", "without the area prior masks drift towards covering everything", "H", ClaimRelation.Below, "C"),
        ("G < C", "adding image-text CL on top of TCL hurts", "G", ClaimRelation.Below, "C"),
    ];

    /// <summary>Every claim, judged on <paramref name="rows"/> (rows named A–H; others are ignored).</summary>
    public static IReadOnlyList<PosterClaim> Check(IReadOnlyList<AblationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var byName = rows.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        return Claims.Select(c =>
        {
            double poster = Poster(c.Left) - Poster(c.Right);
            if (!byName.TryGetValue(c.Left, out var left) || !byName.TryGetValue(c.Right, out var right) || double.IsNaN(left.Mean) || double.IsNaN(right.Mean))
                return new PosterClaim(c.Text, c.Reading, c.Left, c.Relation, c.Right, Math.Round(poster, 2), null, ClaimVerdict.NotRun);
            double ours = Math.Round(left.Mean - right.Mean, 2);
            bool holds = c.Relation switch
            {
                ClaimRelation.MuchAbove => ours >= MuchAboveMargin,
                ClaimRelation.About => Math.Abs(ours) <= AboutMargin,
                _ => ours < 0,
            };
            return new PosterClaim(c.Text, c.Reading, c.Left, c.Relation, c.Right, Math.Round(poster, 2), ours,
                holds ? ClaimVerdict.Reproduced : ClaimVerdict.NotReproduced);
        }).ToList();
    }

    private static double Poster(string name) => Training.AblationPresets.Get(name).PosterVoc20;
}
