using TorchSharp;

namespace Tcl.Torch;

/// <summary>
/// Run-time values as TorchSharp <see cref="Scalar"/>s that stay reachable until the scope is disposed, so that no
/// collection can free one while libtorch reads it (the finalizer race described on <see cref="Scalars"/>). Use it
/// like a dispose scope, around the code that passes the values:
/// <code>
/// using var scalars = new ScalarScope();
/// parameter.mul_(scalars.Of(1 - lr * weightDecay));
/// </code>
/// A method that creates a scope must dispose it (enforced by <c>ScalarRuleTests</c>); the Scalars are freed then.
/// </summary>
public sealed class ScalarScope : IDisposable
{
    private readonly List<Scalar> _scalars = new();
    private bool _disposed;

    /// <summary>A floating-point Scalar (libtorch keeps it as a double).</summary>
    public Scalar Of(double value) => Keep(value.ToScalar());

    /// <summary>An integer Scalar (int64).</summary>
    public Scalar Of(long value) => Keep(value.ToScalar());

    /// <summary>A boolean Scalar.</summary>
    public Scalar Of(bool value) => Keep(value.ToScalar());

    private Scalar Keep(Scalar scalar)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _scalars.Add(scalar);
        return scalar;
    }

    /// <summary>Frees every Scalar made by this scope.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var scalar in _scalars) scalar.Dispose();
        _scalars.Clear();
    }
}
