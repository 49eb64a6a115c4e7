using static TorchSharp.torch;

namespace Tcl.Tests.Support;

/// <summary>Bitwise tensor comparison (TorchSharp's <c>equal</c> is element-wise and returns a tensor).</summary>
public static class BitwiseTensors
{
    /// <summary>True when shape, dtype and every byte agree.</summary>
    public static bool Identical(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && Bytes(a).SequenceEqual(Bytes(b));

    private static byte[] Bytes(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().contiguous().cpu().bytes.ToArray();
    }
}
