namespace Tcl.Data.Transforms;

/// <summary>
/// The handful of draws the reference augmentations make with Python's <c>random</c> module (timm) or with
/// <c>torch.rand</c>/<c>torch.randint</c> (torchvision), expressed on a <see cref="Random"/> so that one seeded
/// <see cref="Random"/> makes a whole augmentation reproducible. Same formulas as CPython (<c>uniform(a, b) =
/// a + (b − a)·random()</c>, <c>randint</c> inclusive of both ends, <c>gauss</c> as a Gaussian) but not the same stream:
/// a Mersenne-Twister replay is a non-goal, only the distributions and the order of draws match.
/// </summary>
public static class RandomDraws
{
    /// <summary>A float in <c>[a, b)</c> like Python's <c>random.uniform(a, b)</c>.</summary>
    /// <param name="random">The only source of randomness.</param>
    /// <param name="a">Lower end.</param>
    /// <param name="b">Upper end.</param>
    public static double Uniform(Random random, double a, double b) => a + (b - a) * random.NextDouble();

    /// <summary>An integer in <c>[a, b]</c>, both ends included, like Python's <c>random.randint(a, b)</c>.</summary>
    /// <param name="random">The only source of randomness.</param>
    /// <param name="a">Lowest value.</param>
    /// <param name="b">Highest value (inclusive).</param>
    public static int RandInt(Random random, int a, int b) => random.Next(a, b + 1);

    /// <summary>A normal draw N(<paramref name="mean"/>, <paramref name="std"/>²) (Box–Muller, one uniform pair per value).</summary>
    /// <param name="random">The only source of randomness.</param>
    /// <param name="mean">Mean μ.</param>
    /// <param name="std">Standard deviation σ.</param>
    public static double Gauss(Random random, double mean, double std)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]: log stays finite
        double u2 = random.NextDouble();
        return mean + std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills <paramref name="values"/> with independent N(0, 1) float draws (Box–Muller, both outputs used).</summary>
    /// <param name="random">The only source of randomness.</param>
    /// <param name="values">Destination.</param>
    public static void FillStandardNormal(Random random, Span<float> values)
    {
        for (int i = 0; i < values.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = (float)(r * Math.Cos(2.0 * Math.PI * u2));
            if (i + 1 < values.Length) values[i + 1] = (float)(r * Math.Sin(2.0 * Math.PI * u2));
        }
    }

    /// <summary>timm's <c>_randomly_negate</c>: <c>-v if random.random() > 0.5 else v</c> (one draw).</summary>
    /// <param name="random">The only source of randomness.</param>
    /// <param name="value">The value to negate or keep.</param>
    public static double RandomlyNegate(Random random, double value) => random.NextDouble() > 0.5 ? -value : value;
}
