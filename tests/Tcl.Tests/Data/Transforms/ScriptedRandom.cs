namespace Tcl.Tests.Data.Transforms;

/// <summary>
/// A <see cref="Random"/> that replays fixed draws, so a test can walk a sampling algorithm through a chosen branch:
/// <see cref="NextDouble"/> returns the queued doubles in order; <see cref="Next(int, int)"/> returns the queued integers.
/// Running out of either is a test failure (the algorithm drew more than the test expected).
/// </summary>
public sealed class ScriptedRandom(IEnumerable<double> doubles, IEnumerable<int>? ints = null) : Random
{
    private readonly Queue<double> doubles = new(doubles);
    private readonly Queue<int> ints = new(ints ?? []);

    public int DoublesLeft => doubles.Count;

    public int IntsLeft => ints.Count;

    public override double NextDouble() =>
        doubles.Count > 0 ? doubles.Dequeue() : throw new InvalidOperationException("ScriptedRandom: no more doubles");

    public override int Next(int minValue, int maxValue)
    {
        if (ints.Count == 0) throw new InvalidOperationException("ScriptedRandom: no more ints");
        int v = ints.Dequeue();
        if (v < minValue || v >= maxValue) throw new InvalidOperationException($"ScriptedRandom: {v} outside [{minValue}, {maxValue})");
        return v;
    }

    public override int Next(int maxValue) => Next(0, maxValue);
}
