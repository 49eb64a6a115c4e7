using Tcl.Tests.Support;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data.Transforms;
using Xunit;

namespace Tcl.Tests.Data.Transforms;

public class RandAugmentTests
{
    [Fact]
    public void TclPolicyParses()
    {
        var p = RandAugmentPolicy.Parse("rand-m9-mstd0.5-inc1");
        Assert.Equal(new RandAugmentPolicy(Magnitude: 9, MagnitudeStd: 0.5, MagnitudeMax: 10, NumOps: 2, Increasing: true, Probability: 0.5), p);
        Assert.Equal(RandAugment.IncreasingOps, p.Ops);
        Assert.Equal(15, p.Ops.Count);
        Assert.Equal(p, RandAugmentPolicy.Parse(p.ToString()));
    }

    [Fact]
    public void OtherKeysParse()
    {
        var p = RandAugmentPolicy.Parse("rand-n3-m5-mmax12-mstd101");
        Assert.Equal(3, p.NumOps);
        Assert.Equal(5, p.Magnitude);
        Assert.Equal(12, p.MagnitudeMax);
        Assert.True(double.IsPositiveInfinity(p.MagnitudeStd));
        Assert.False(p.Increasing);
        Assert.Equal(RandAugment.StandardOps, p.Ops);
        Assert.Equal(new RandAugmentPolicy(), RandAugmentPolicy.Parse("rand"));
    }

    [Theory]
    [InlineData("rnd-m9", "'rnd'")]
    [InlineData("rand-m9-foo", "'foo'")]
    [InlineData("rand-q3", "'q3'")]
    [InlineData("rand-m9x", "'m9x'")]
    [InlineData("rand-mstd0.5.1", "'mstd0.5.1'")]
    [InlineData("rand-m9-m3", "'m3'")]
    [InlineData("rand-w0", "'w0'")]
    [InlineData("rand-m9--inc1", "''")]
    public void BadPolicyNamesTheBadPart(string policy, string part)
    {
        var e = Assert.Throws<RandAugmentPolicyException>(() => RandAugmentPolicy.Parse(policy));
        Assert.Contains(part, e.Message);
        Assert.Contains(policy, e.Message);
    }

    [Fact]
    public void BadPolicyFailsAtTransformConstruction() =>
        Assert.Throws<RandAugmentPolicyException>(() => new TrainTransform(TrainAugmentConfig.Official with { RandAugment = "rand-m9-zz1" }));

    [Theory]
    [InlineData(RandAugmentOp.PosterizeIncreasing, 9, 1)]   // 4 − int(3.6)
    [InlineData(RandAugmentOp.PosterizeIncreasing, 0, 4)]
    [InlineData(RandAugmentOp.Posterize, 10, 4)]
    [InlineData(RandAugmentOp.SolarizeIncreasing, 9, 26)]   // 256 − int(230.4)
    [InlineData(RandAugmentOp.SolarizeIncreasing, 0, 256)]
    [InlineData(RandAugmentOp.Solarize, 5, 128)]
    [InlineData(RandAugmentOp.SolarizeAdd, 9, 99)]          // int(99.0)
    [InlineData(RandAugmentOp.Color, 10, 1.9)]
    [InlineData(RandAugmentOp.AutoContrast, 9, 0)]
    public void UnsignedLevelsMatchTimm(RandAugmentOp op, double magnitude, double expected) =>
        Near.Abs(expected, RandAugment.LevelToArgument(op, magnitude, new ScriptedRandom([])), 1e-12); // double arithmetic, |x| ≤ 256

    [Theory]
    [InlineData(RandAugmentOp.Rotate, 9, 0.4, 27.0)]
    [InlineData(RandAugmentOp.Rotate, 9, 0.6, -27.0)]        // random() > 0.5 negates
    [InlineData(RandAugmentOp.ShearX, 10, 0.9, -0.3)]
    [InlineData(RandAugmentOp.TranslateYRel, 10, 0.1, 0.45)]
    [InlineData(RandAugmentOp.ContrastIncreasing, 9, 0.1, 1.81)]  // 1 + 0.81
    [InlineData(RandAugmentOp.SharpnessIncreasing, 9, 0.9, 0.19)] // 1 − 0.81
    [InlineData(RandAugmentOp.BrightnessIncreasing, 10, 0.9, 0.1)]
    public void SignedLevelsDrawOneSign(RandAugmentOp op, double magnitude, double draw, double expected)
    {
        var random = new ScriptedRandom([draw]);
        Near.Abs(expected, RandAugment.LevelToArgument(op, magnitude, random), 1e-12);
        Assert.Equal(0, random.DoublesLeft);
    }

    [Fact]
    public void ApplyChoosesThenGatesEachOpAndClipsMagnitude()
    {
        // Policy m9, mstd 0.5, increasing: ops chosen first (ints 2 = Invert, 0 = AutoContrast), then per op:
        // p-gate draw (0.3 ≤ 0.5 → apply), Gaussian magnitude (2 doubles), no sign draw for these ops;
        // second op gated off (0.7 > 0.5) with no further draws.
        var augment = new RandAugment("rand-m9-mstd0.5-inc1", ChannelStats.ImageNetMean);
        var img = new RgbPixels(1, 1, [10, 20, 30]);
        var random = new ScriptedRandom([0.3, 0.5, 0.0, 0.7], [2, 0]);
        var applied = augment.Apply(img, random);
        Assert.Single(applied);
        Assert.Equal(RandAugmentOp.Invert, applied[0].Op);
        // u1 = 1 − 0.5, u2 = 0: 9 + 0.5·sqrt(−2 ln 0.5) = 9.5887 (≤ 10, kept).
        Near.Abs(9 + 0.5 * Math.Sqrt(-2 * Math.Log(0.5)), applied[0].Magnitude, 1e-12);
        Assert.Equal(new byte[] { 245, 235, 225 }, img.Data);
        Assert.Equal(0, random.DoublesLeft);

        // A large noise draw is clipped to 10: u1 = 1 − 0.999999 → z ≈ 5.26 → 9 + 2.6 → 10.
        var clipped = augment.Apply(new RgbPixels(1, 1), new ScriptedRandom([0.1, 0.999999, 0.0, 0.9], [2, 2]));
        Assert.Equal(10.0, clipped[0].Magnitude);
    }

    [Fact]
    public void EveryOpRunsOnATinyImageAndKeepsItsSize()
    {
        var fill = new Rgb24(124, 116, 104);
        var random = new Random(5);
        foreach (var op in Enum.GetValues<RandAugmentOp>())
        {
            var img = new RgbPixels(7, 5);
            random.NextBytes(img.Data);
            RandAugment.ApplyOp(img, op, RandAugment.LevelToArgument(op, 9, random), fill);
            Assert.Equal((7, 5, 105), (img.Width, img.Height, img.Data.Length));
        }
    }
}
