using Tcl.Demo;
using Xunit;

namespace Tcl.Tests.Demo;

public class PosterClaimsTests
{
    private static AblationRow Row(string name, double mean) =>
        new(name, name, Tcl.Training.AblationPresets.Get(name).PosterVoc20, new Dictionary<string, double> { ["a"] = mean - 1, ["b"] = mean + 1 }, 10, 1.0, 1);

    private static PosterClaim Claim(IReadOnlyList<PosterClaim> claims, string text) => claims.Single(c => c.Text == text);

    [Fact]
    public void Rows_ordered_as_on_the_poster_reproduce_every_claim()
    {
        var rows = new[] { Row("A", 20), Row("B", 21), Row("C", 40), Row("D", 25), Row("E", 35), Row("F", 36), Row("G", 38), Row("H", 30) };
        var claims = PosterClaims.Check(rows);
        Assert.Equal(6, claims.Count);
        Assert.All(claims, c => Assert.Equal(ClaimVerdict.Reproduced, c.Verdict));
        Assert.Equal(20, Claim(claims, "C ≫ A").OursDelta);
        Assert.Equal(24.2, Claim(claims, "C ≫ A").PosterDelta);
        Assert.Equal(-10.3, Claim(claims, "H < C").PosterDelta);
    }

    [Fact]
    public void Margins_decide_far_above_and_about_equal()
    {
        var claims = PosterClaims.Check([Row("A", 20), Row("B", 22.5), Row("C", 24.9)]);
        Assert.Equal(ClaimVerdict.NotReproduced, Claim(claims, "C ≫ A").Verdict);       // +4.9 < 5
        Assert.Equal(ClaimVerdict.NotReproduced, Claim(claims, "B ≈ A").Verdict);       // 2.5 > 2
        claims = PosterClaims.Check([Row("A", 20), Row("B", 18), Row("C", 25)]);
        Assert.Equal(ClaimVerdict.Reproduced, Claim(claims, "C ≫ A").Verdict);
        Assert.Equal(ClaimVerdict.Reproduced, Claim(claims, "B ≈ A").Verdict);
    }

    [Fact]
    public void A_row_above_c_or_missing_is_reported_as_such()
    {
        var claims = PosterClaims.Check([Row("C", 30), Row("H", 31), Row("E", 30)]);
        Assert.Equal(ClaimVerdict.NotReproduced, Claim(claims, "H < C").Verdict);
        Assert.Equal(ClaimVerdict.NotReproduced, Claim(claims, "E < C").Verdict);        // equal is not below
        Assert.Equal(ClaimVerdict.NotRun, Claim(claims, "G < C").Verdict);
        Assert.Null(Claim(claims, "G < C").OursDelta);
        Assert.Equal(ClaimVerdict.NotRun, Claim(claims, "C ≫ A").Verdict);
    }

    [Fact]
    public void The_headline_mean_skips_benchmarks_without_a_score()
    {
        var row = new AblationRow("C", "", 77.4, new Dictionary<string, double> { ["a"] = 10, ["b"] = double.NaN, ["c"] = 21 }, 1, null, 0);
        Assert.Equal(15.5, row.Mean);
    }
}
