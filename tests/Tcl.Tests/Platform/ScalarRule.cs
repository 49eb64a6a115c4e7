using System.Reflection;
using Tcl.Torch;
using TorchSharp;

namespace Tcl.Tests.Platform;

/// <summary>
/// The rule that keeps TorchSharp 0.107's Scalar finalizer race out (README, platform notes), checked on compiled IL:
/// <list type="number">
/// <item>only <see cref="Scalars"/> and <see cref="ScalarScope"/> make Scalars (no implicit conversion of a number,
///   no <c>ToScalar</c>, anywhere else);</item>
/// <item>no call to a TorchSharp member that makes a temporary Scalar itself (<see cref="ScalarTemporaries"/>), and no
///   TorchSharp module or optimiser whose overridden members do (their <c>forward</c> would be called virtually);</item>
/// <item><see cref="Scalars.Pinned(double)"/> only in static initialisers (a pinned Scalar is never freed);</item>
/// <item>a method that creates a <see cref="ScalarScope"/> disposes it (its Scalars stay reachable until then).</item>
/// </list>
/// </summary>
public static class ScalarRule
{
    private static readonly Assembly TorchSharpAssembly = typeof(torch).Assembly;

    /// <summary>Every breach of the rule in <paramref name="methods"/>, one readable line each.</summary>
    public static IReadOnlyList<string> Violations(IEnumerable<MethodBase> methods)
    {
        var temporaries = ScalarTemporaries.OfTorchSharp;
        var violations = new List<string>();
        foreach (var method in methods)
        {
            if (method.DeclaringType == typeof(Scalars) || method.DeclaringType == typeof(ScalarScope)) continue;
            var called = IlCalls.CalledBy(method).ToList();
            string where = IlCalls.Describe(method);
            foreach (var c in called)
            {
                if (c.DeclaringType?.Assembly != TorchSharpAssembly)
                {
                    if (IsPinned(c) && method is not ConstructorInfo { IsStatic: true })
                        violations.Add($"{where} calls {IlCalls.Describe(c)} outside a static initialiser: use a ScalarScope for values known at run time.");
                    continue;
                }
                if (temporaries.IsCreator(c))
                    violations.Add($"{where} makes a Scalar with {IlCalls.Describe(c)}: use Scalars (constants) or a ScalarScope (run-time values).");
                else if (temporaries.Exposure(c) is string why)
                    violations.Add($"{where} calls {IlCalls.Describe(c)}, which {why}: call the overload that takes a Scalar from Scalars or a ScalarScope (a + b → a.add(b, Scalars.One)).");
                else if (ConstructedType(c) is Type t && ExposedOverride(t, temporaries) is MethodBase o)
                    violations.Add($"{where} creates a {t.Name}, whose {IlCalls.Describe(o)} makes a temporary Scalar ({temporaries.Exposure(o)}).");
            }
            bool createsScope = called.Any(c => c is ConstructorInfo && c.DeclaringType == typeof(ScalarScope));
            bool disposes = called.Any(c => c.Name == nameof(IDisposable.Dispose) &&
                                            (c.DeclaringType == typeof(ScalarScope) || c.DeclaringType == typeof(IDisposable)));
            if (createsScope && !disposes)
                violations.Add($"{where} creates a ScalarScope without disposing it: write 'using var scalars = new ScalarScope();'.");
        }
        return violations;
    }

    private static bool IsPinned(MethodBase m) => m.DeclaringType == typeof(Scalars) && m.Name == nameof(Scalars.Pinned);

    /// <summary>The TorchSharp type a call constructs or returns (a module factory such as <c>nn.LeakyReLU()</c>).</summary>
    private static Type? ConstructedType(MethodBase c) => c switch
    {
        ConstructorInfo ctor => ctor.DeclaringType,
        MethodInfo m when m.ReturnType.Assembly == TorchSharpAssembly && !m.ReturnType.IsValueType => m.ReturnType,
        _ => null,
    };

    private static readonly Dictionary<Type, MethodBase?> OverrideCache = new();

    /// <summary>A virtual member that <paramref name="type"/> (or a TorchSharp base of it) overrides with a body that makes a temporary Scalar.</summary>
    private static MethodBase? ExposedOverride(Type type, ScalarTemporaries temporaries)
    {
        lock (OverrideCache)
        {
            if (OverrideCache.TryGetValue(type, out var cached)) return cached;
            MethodBase? found = null;
            for (var t = type; t is not null && t.Assembly == TorchSharpAssembly && found is null; t = t.BaseType)
                found = t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                    .FirstOrDefault(m => m.IsVirtual && temporaries.Exposure(m) is not null);
            return OverrideCache[type] = found;
        }
    }
}
