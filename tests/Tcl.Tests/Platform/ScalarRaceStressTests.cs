using Tcl.Cli.Benchmarks;
using Xunit;
using Xunit.Abstractions;

namespace Tcl.Tests.Platform;

/// <summary>
/// Runs alone: the stress iterations seed libtorch's global generator to build their models, so another test drawing
/// from it at the same time would change their fingerprint; and their forced collections would slow everyone else.
/// </summary>
[CollectionDefinition(nameof(ScalarRaceStressCollection), DisableParallelization = true)]
public sealed class ScalarRaceStressCollection;

/// <summary>
/// The short version of the Scalar finalizer-race stress test (<see cref="ScalarRaceStress"/>); the long one is
/// <c>tcl bench race</c> (numbers before and after the fix in tests/benchmarks/RESULTS.md). Before the fix the stress
/// failed in ~1 of 20 iterations, the first after ~20 s, so 25 s here catch a regression often but not always: the
/// rule test (<see cref="ScalarRuleTests"/>) is what keeps the race out; this one checks that it was the cause.
/// </summary>
[Collection(nameof(ScalarRaceStressCollection))]
public sealed class ScalarRaceStressTests(ITestOutputHelper output)
{
    [Fact]
    public void LibraryTensorPathsSurviveForcedCollectionsAndGiveTheSameNumbers()
    {
        var r = ScalarRaceStress.Run(iterations: 200, maxSeconds: 25, collectorThreads: 1);
        output.WriteLine($"{r.Iterations} iterations in {r.Seconds:F1} s, {r.Collections} forced collections, {r.Crashes} crashes, {r.WrongResults} wrong");
        Assert.True(r.Iterations >= 3, $"only {r.Iterations} iterations ran");
        Assert.True(r.Collections >= r.Iterations, $"only {r.Collections} forced collections in {r.Iterations} iterations");
        Assert.True(r.Passed, $"{r.Crashes} crash(es), {r.WrongResults} wrong result(s); first: {r.FirstFailure}");
        Assert.False(r.Interrupted);
    }

    [Fact]
    public void AnInterruptedRunReportsWhatItDidAndSaysSo()
    {
        using var interrupt = new CancellationTokenSource();
        var reported = new List<int>();

        var r = ScalarRaceStress.Run(iterations: 200, collectorThreads: 1, interrupt: interrupt.Token, progressEvery: 2,
            progress: p =>
            {
                reported.Add(p.Iterations);
                if (p.Iterations == 4) interrupt.Cancel();   // as Ctrl+C would, between iterations
            });

        Assert.Equal([2, 4], reported);
        Assert.Equal(4, r.Iterations);
        Assert.True(r.Interrupted);
        Assert.True(r.Passed, $"{r.Crashes} crash(es), {r.WrongResults} wrong result(s); first: {r.FirstFailure}");
    }
}
