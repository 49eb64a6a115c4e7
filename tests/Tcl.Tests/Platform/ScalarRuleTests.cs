using System.Reflection;
using Tcl.Torch;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Platform;

/// <summary>The Scalar rule (<see cref="ScalarRule"/>) holds in every assembly of the repository, and the check sees what it must.</summary>
public sealed class ScalarRuleTests
{
    public static TheoryData<string> Assemblies => new()
    {
        typeof(Scalars).Assembly.GetName().Name!,                    // the core library (world, demo, ablations included)
        typeof(Tcl.Cli.CliRoot).Assembly.GetName().Name!,
        typeof(Tcl.Notebooks.NotebookSetup).Assembly.GetName().Name!,
        typeof(ScalarRuleTests).Assembly.GetName().Name!,            // the tests run under load too
    };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void NoCodeLetsTorchSharpMakeATemporaryScalar(string assemblyName)
    {
        var assembly = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == assemblyName);
        var methods = IlCalls.MethodsOf(assembly).Where(m => m.DeclaringType != typeof(UnsafeSamples)).ToList();
        Assert.True(methods.Count > 50, $"only {methods.Count} methods found in {assemblyName}");
        var violations = ScalarRule.Violations(methods);
        Assert.True(violations.Count == 0,
            $"{violations.Count} breach(es) of the TorchSharp Scalar rule (README, platform notes) in {assemblyName}:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void TheCheckFindsEveryKindOfUnsafeCall()
    {
        var methods = typeof(UnsafeSamples).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly);
        var found = methods.ToDictionary(m => m.Name, m => ScalarRule.Violations([m]));
        foreach (var m in methods.Where(m => m.Name.StartsWith("Unsafe", StringComparison.Ordinal)))
            Assert.True(found[m.Name].Count > 0, $"{m.Name} was not flagged");
        foreach (var m in methods.Where(m => m.Name.StartsWith("Safe", StringComparison.Ordinal)))
            Assert.True(found[m.Name].Count == 0, $"{m.Name} was flagged: {string.Join("; ", found[m.Name])}");
        Assert.Contains("Tensor.add(torch.Tensor)", found[nameof(UnsafeSamples.UnsafeTensorPlusTensor)].Single());
    }

    [Fact]
    public void TorchSharpsOwnTemporariesAreFoundFromItsIl()
    {
        var temporaries = ScalarTemporaries.OfTorchSharp;
        // The cases of the upstream reports: a + b → add(b, 1); t + 1.0 → add(1.0) → add(1.0, 1); t.square() → pow(2).
        Assert.NotNull(temporaries.Exposure(typeof(Tensor).GetMethod("op_Addition", [typeof(Tensor), typeof(Tensor)])!));
        Assert.NotNull(temporaries.Exposure(typeof(Tensor).GetMethod(nameof(Tensor.add), [typeof(Scalar)])!));
        Assert.NotNull(temporaries.Exposure(typeof(Tensor).GetMethod(nameof(Tensor.square), Type.EmptyTypes)!));
        // Calls that take the caller's Scalar are not exposures themselves.
        Assert.Null(temporaries.Exposure(typeof(Tensor).GetMethod(nameof(Tensor.add), [typeof(Tensor), typeof(Scalar)])!));
        Assert.Null(temporaries.Exposure(typeof(Tensor).GetMethod(nameof(Tensor.mul), [typeof(Scalar)])!));
        Assert.True(temporaries.IsCreator(typeof(Scalar).GetMethod("op_Implicit", [typeof(double)])!));
    }

    [Fact]
    public void ScalarScopeKeepsItsValuesUntilDisposedAndRefusesUseAfterwards()
    {
        var scalars = new ScalarScope();
        using (var t = ones(3))
        using (var r = t.mul(scalars.Of(2.5)).add(scalars.Of(1L), Scalars.One))
            Assert.Equal(new[] { 3.5f, 3.5f, 3.5f }, r.data<float>().ToArray());
        scalars.Dispose();
        Assert.Throws<ObjectDisposedException>(() => scalars.Of(1.0));
    }

    [Fact]
    public void ArangeCountsFromZero()
    {
        using var ours = Scalars.Arange(5);
        Assert.Equal(ScalarType.Int64, ours.dtype);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4 }, ours.data<long>().ToArray());
    }
}

/// <summary>Code the rule must reject (names starting with Unsafe) or accept (Safe); never run.</summary>
internal static class UnsafeSamples
{
    private static readonly Scalar Pinned = Scalars.Pinned(0.5);

    public static Tensor UnsafeTensorPlusTensor(Tensor a, Tensor b) => a + b;
    public static Tensor UnsafeTensorTimesDouble(Tensor a) => a * 2.0;
    public static Tensor UnsafeImplicitScalarArgument(Tensor a) => a.clamp(0.0, 1.0);
    public static Tensor UnsafeDefaultStartAndStep() => arange(10);
    public static Tensor UnsafeSquare(Tensor a) => a.square();
    public static Scalar UnsafePinnedOutsideAStaticInitialiser() => Scalars.Pinned(1.0);
    public static object UnsafeModuleWithTemporariesInForward() => nn.LeakyReLU(0.1);
    public static Tensor UnsafeScopeNeverDisposed(Tensor a) => a.mul(new ScalarScope().Of(2.0));

    public static Tensor SafeAddWithPinnedAlpha(Tensor a, Tensor b) => a.add(b, Scalars.One);
    public static Tensor SafeTensorTimesTensor(Tensor a, Tensor b) => a * b;
    public static Tensor SafeStaticConstant(Tensor a) => a.mul(Pinned);
    public static Tensor SafeScopedValue(Tensor a, double v)
    {
        using var scalars = new ScalarScope();
        return a.mul(scalars.Of(v));
    }
    public static object SafeModule() => nn.Linear(2, 3);
}
