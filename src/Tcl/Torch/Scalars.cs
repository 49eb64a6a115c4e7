using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Torch;

/// <summary>
/// The library's only source of TorchSharp <see cref="Scalar"/>s that live forever: constants held by static fields.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 has a finalizer race (upstream PRs #1434 and #1496): a Scalar made for a native call — the
/// <c>1</c> that <c>a + b</c> passes as <c>add(b, 1)</c>, a <c>double</c> converted implicitly — is unreachable once
/// its handle has been read, so a garbage collection on any thread can free it while libtorch still reads it
/// (<c>ExternalException … toFloat at c10/core/Scalar.h</c>, or a wrong number without an error). The rule: no code
/// of ours lets TorchSharp make a Scalar. Constants come from here (a static field keeps them reachable for the
/// life of the process); values known only at run time come from a <see cref="ScalarScope"/>, which keeps each one
/// reachable until the scope is disposed; TorchSharp members that make a temporary Scalar themselves (the
/// operators <c>+</c> and <c>-</c> between tensors, <c>add(Tensor)</c>, <c>arange(stop)</c>, <c>square()</c>, …)
/// are called through their overloads that take one of these instead. <c>ScalarRuleTests</c> enforces this on the
/// compiled IL of every assembly, with the list of unsafe TorchSharp members computed from TorchSharp's own IL.
/// </remarks>
public static class Scalars
{
    /// <summary>Integer 1: the <c>alpha</c> of <c>a.add(b, One)</c> (= <c>a + b</c>) and the step of <see cref="Arange"/>.</summary>
    public static Scalar One { get; } = 1L.ToScalar();

    /// <summary>Integer 0.</summary>
    public static Scalar Zero { get; } = 0L.ToScalar();

    /// <summary>
    /// A constant for a <c>static readonly</c> field (e.g. QuickGELU's 1.702); never freed. Only static initialisers
    /// may call it (enforced): a call per step would leak one native Scalar per call.
    /// </summary>
    public static Scalar Pinned(double value) => value.ToScalar();

    /// <inheritdoc cref="Pinned(double)"/>
    public static Scalar Pinned(long value) => value.ToScalar();

    /// <summary><c>torch.arange(count)</c> (int64 0, 1, …, count−1) without the temporary start and step Scalars of TorchSharp's overload.</summary>
    public static Tensor Arange(long count, Device? device = null)
    {
        using var scalars = new ScalarScope();
        return arange(Zero, scalars.Of(count), One, dtype: ScalarType.Int64, device: device);
    }
}
