using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Tests.Platform;

/// <summary>
/// The TorchSharp members that create a <see cref="Scalar"/> for a native call and drop it (TorchSharp 0.107's
/// finalizer race, upstream PRs #1434 and #1496), computed from TorchSharp's own IL so that an upgrade is re-checked:
/// <list type="bullet">
/// <item>a <b>creator</b> returns a new Scalar (<c>Scalar.op_Implicit</c>, <c>ToScalar</c>, …); a caller that hands
///   its result to a native call without keeping it alive is exposed;</item>
/// <item>a member is <b>exposed</b> when its body calls a creator more often than it disposes a Scalar (a temporary
///   such as the <c>1</c> in <c>add(Tensor) => add(target, 1)</c>), or calls an exposed member.</item>
/// </list>
/// </summary>
public sealed class ScalarTemporaries
{
    public static readonly ScalarTemporaries OfTorchSharp = new(typeof(torch).Assembly);

    private readonly HashSet<MethodBase> _creators = new();
    private readonly Dictionary<MethodBase, string> _exposed = new();

    private ScalarTemporaries(Assembly torchSharp)
    {
        var methods = IlCalls.MethodsOf(torchSharp).ToList();
        foreach (var m in methods)
            if (m is MethodInfo mi && mi.ReturnType == typeof(Scalar)) _creators.Add(IlCalls.Open(m));
        var dispose = typeof(Scalar).GetMethod(nameof(Scalar.Dispose), Type.EmptyTypes)!;
        var calls = methods.ToDictionary(IlCalls.Open, m => IlCalls.CalledBy(m).Select(IlCalls.Open).ToList());

        foreach (var (m, called) in calls)
        {
            if (_creators.Contains(m)) continue;
            int made = called.Count(_creators.Contains), disposed = called.Count(c => c == dispose);
            if (made > disposed) _exposed[m] = "creates a temporary Scalar";
        }
        // Exposure flows to every caller inside TorchSharp (operators → methods → overloads with a default alpha).
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var (m, called) in calls)
            {
                if (_exposed.ContainsKey(m) || _creators.Contains(m)) continue;
                var via = called.FirstOrDefault(_exposed.ContainsKey);
                if (via is null) continue;
                _exposed[m] = $"calls {IlCalls.Describe(via)}";
                grew = true;
            }
        }
    }

    public bool IsCreator(MethodBase m) => _creators.Contains(IlCalls.Open(m));

    /// <summary>Why calling <paramref name="m"/> hands a temporary Scalar to native code, or null when it does not.</summary>
    public string? Exposure(MethodBase m) => _exposed.TryGetValue(IlCalls.Open(m), out var why) ? why : null;

    public IReadOnlyCollection<MethodBase> Exposed => _exposed.Keys;
}
