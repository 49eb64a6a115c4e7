using System.Reflection;
using Tcl.Tests.Support;
using Xunit;

namespace Tcl.Tests.Platform;

/// <summary>
/// The trait <c>FixtureSet=reads</c> (<see cref="Fixtures.TraitName"/>) marks exactly the test classes that read the
/// fixture set, so that CI's second pass over <c>fixtures-alt</c> (<c>.ci/run</c>) runs all of them and nothing else.
/// "Reads" is decided from the IL: a class reads the set when code of the class (its lambdas, local functions and
/// iterators included), of a base class or of one of its <c>IClassFixture&lt;T&gt;</c> types reaches the getter of
/// <see cref="Fixtures.Dir"/> through any chain of calls inside the test assembly (<c>Fixtures.Path</c>,
/// <c>WeightFixtures.File</c>, <c>TclFixtureModel.Load</c>, …).
/// </summary>
public sealed class FixtureSetTraitTests
{
    private static readonly Assembly Tests = typeof(Fixtures).Assembly;

    private static Type Outermost(Type t)
    {
        while (t.DeclaringType is not null) t = t.DeclaringType;
        return t;
    }

    /// <summary>Outermost types of the test assembly whose own code reaches <see cref="Fixtures.Dir"/>.</summary>
    private static HashSet<Type> TypesReachingTheFixtureDir()
    {
        var root = typeof(Fixtures).GetProperty(nameof(Fixtures.Dir))!.GetMethod!;
        var callers = new Dictionary<MethodBase, List<MethodBase>>();
        foreach (var method in IlCalls.MethodsOf(Tests))
            foreach (var callee in IlCalls.CalledBy(method))
            {
                var key = IlCalls.Open(callee);
                if (!callers.TryGetValue(key, out var list)) callers[key] = list = [];
                list.Add(method);
            }
        var reached = new HashSet<MethodBase> { root };
        var queue = new Queue<MethodBase>([root]);
        while (queue.Count > 0)
            if (callers.TryGetValue(queue.Dequeue(), out var list))
                foreach (var caller in list)
                    if (reached.Add(IlCalls.Open(caller))) queue.Enqueue(IlCalls.Open(caller));
        return reached.Where(m => m.DeclaringType is not null && m.DeclaringType.Assembly == Tests)
            .Select(m => Outermost(m.DeclaringType!)).ToHashSet();
    }

    private static bool IsTestClass(Type t) =>
        !t.IsAbstract && t.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any());

    private static bool IsMarked(Type t) =>
        t.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute)
            && a.ConstructorArguments.Count == 2
            && (string?)a.ConstructorArguments[0].Value == Fixtures.TraitName
            && (string?)a.ConstructorArguments[1].Value == Fixtures.TraitValue);

    private static bool Reads(Type t, HashSet<Type> reaching)
    {
        for (var b = t; b is not null && b.Assembly == Tests; b = b.BaseType)
        {
            if (reaching.Contains(Outermost(b))) return true;
            foreach (var i in b.GetInterfaces())
                if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>)
                    && reaching.Contains(Outermost(i.GetGenericArguments()[0])))
                    return true;
        }
        return false;
    }

    [Fact]
    public void ExactlyTheClassesThatReadTheFixtureSetCarryTheTrait()
    {
        var reaching = TypesReachingTheFixtureDir();
        var testClasses = Tests.GetTypes().Where(IsTestClass).ToList();
        var readers = testClasses.Where(t => Reads(t, reaching)).ToList();
        Assert.NotEmpty(readers);
        var unmarked = readers.Where(t => !IsMarked(t)).Select(t => t.FullName).Order().ToList();
        var needless = testClasses.Where(t => IsMarked(t) && !readers.Contains(t)).Select(t => t.FullName).Order().ToList();
        Assert.True(unmarked.Count == 0,
            $"read the fixture set without [Trait(\"{Fixtures.TraitName}\", \"{Fixtures.TraitValue}\")]: {string.Join(", ", unmarked)}");
        Assert.True(needless.Count == 0, $"marked but do not read the fixture set: {string.Join(", ", needless)}");
    }
}
