using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Tcl.Torch;

namespace Tcl.Grounding;

/// <summary>Winograd tile size: F(m×m, 3×3) produces m×m outputs per tile from an (m+2)×(m+2) input tile.</summary>
public enum WinogradTile
{
    /// <summary>F(2×2, 3×3): 16 products per 4 outputs (2.25× fewer multiply-adds than direct); ~float32 rounding error.</summary>
    F2 = 2,
    /// <summary>F(4×4, 3×3): 36 products per 16 outputs (4× fewer); transforms with entries up to 8 cost ~1–2 more digits.</summary>
    F4 = 4,
}

/// <summary>
/// Inference-only Winograd evaluation of a 3×3, stride 1, zero-padding 1 <see cref="Conv2d"/> (with bias)
/// — the grounding decoder's 768→768 convolutions, which dominate evaluation time and already run near the
/// CPU's matmul peak as <c>conv2d</c>, so only fewer FLOPs make them faster.
/// </summary>
/// <remarks>
/// <para>Algorithm (Lavin &amp; Gray 2016), for input <c>[B, C, H, W]</c> and tile size m, a = m + 2, computed
/// channels-last (the decoder's activations come from a LayerNorm over C, so <c>x.permute(0, 2, 3, 1)</c> is free):
/// zero-pad to <c>[B, m·tH + 2, m·tW + 2, C]</c> (tH = ⌈H/m⌉, tW = ⌈W/m⌉: one pixel on the top/left, the rest on
/// the bottom/right so the tiles cover the image), take the overlapping a×a tiles with stride m
/// (<c>unfold</c>: <c>[B, tH, tW, C, a, a]</c>), input transform <c>V = Bᵀ d B</c> as one matmul with
/// <c>Bᵀ⊗Bᵀ</c> giving <c>[a², N, C]</c> (N = B·tH·tW tiles), a² batched matmuls with the transformed weights
/// <c>U = G g Gᵀ</c> (<c>[a², C, Cout]</c>) giving <c>[a², N, Cout]</c>, output transform <c>Y = Aᵀ M A</c> with
/// <c>Aᵀ⊗Aᵀ</c> giving <c>[m², N, Cout]</c>, re-assembled into <c>[B, m·tH, m·tW, Cout]</c>, cropped to H×W, plus
/// bias, returned as the <c>[B, Cout, H, W]</c> view (channels-last strides).</para>
/// <para>Memory: tile rows are processed in chunks so the transformed tiles of one chunk stay under
/// <see cref="MaxChunkBytes"/> (a [2, 768, 112, 112] input would otherwise need ~3×170 MB of intermediates for F4).</para>
/// <para>The transformed weights are cached (computed in float64, stored in the input's dtype; a²·Cout·C elements:
/// 85 MB for a 768→768 conv at F4, 38 MB at F2). The cache is recomputed when the weight tensor is replaced or its
/// contents change (checked with a cheap fingerprint: sum and sum of squares in float64, on every call) and
/// dropped by <see cref="ResetCache"/>. Gradients are not supported: call only under <c>no_grad</c>.</para>
/// </remarks>
public sealed class WinogradConv3x3 : IDisposable
{
    private readonly Conv2d _conv;
    private Tensor? _u;              // [a², Cin, Cout]
    private Tensor? _bias;           // [Cout]
    private IntPtr _weightHandle;
    private (double Sum, double SumSq) _fingerprint;
    private ScalarType _dtype;
    private Device? _device;

    /// <param name="conv">A 3×3 convolution with stride 1, padding 1, dilation 1, groups 1 (bias optional).</param>
    /// <param name="tile">Tile size (F2 or F4).</param>
    public WinogradConv3x3(Conv2d conv, WinogradTile tile = WinogradTile.F4)
    {
        var w = conv.weight ?? throw new ArgumentException("The convolution has no weight.", nameof(conv));
        if (w.dim() != 4 || w.shape[2] != 3 || w.shape[3] != 3)
            throw new ArgumentException($"Expected a 3×3 kernel, got [{string.Join(", ", w.shape)}].", nameof(conv));
        _conv = conv;
        Tile = tile;
    }

    /// <summary>Tile size.</summary>
    public WinogradTile Tile { get; }

    /// <summary>Upper bound on the transformed-tile tensors of one chunk of tile rows (default 24 MB: below glibc's
    /// 32 MB mmap ceiling, so the chunk buffers are reused from the heap instead of being mmapped and page-faulted anew).</summary>
    public long MaxChunkBytes { get; set; } = 24L << 20;

    /// <summary>Drops the cached transformed weights; call after writing the convolution's weights in place.</summary>
    public void ResetCache()
    {
        _u?.Dispose(); _u = null;
        _bias?.Dispose(); _bias = null;
        _weightHandle = IntPtr.Zero;
    }

    public void Dispose() => ResetCache();

    /// <summary>The convolution of <paramref name="x"/> <c>[B, C, H, W] → [B, Cout, H, W]</c>, as the conv2d would give it up to rounding.</summary>
    public Tensor Forward(Tensor x)
    {
        if (is_grad_enabled()) throw new InvalidOperationException("WinogradConv3x3 is inference-only: call it under no_grad.");
        if (x.dim() != 4) throw new ArgumentException($"Expected [B, C, H, W], got [{string.Join(", ", x.shape)}].", nameof(x));
        using var scope = NewDisposeScope();
        EnsureWeights(x.dtype, x.device);
        int m = (int)Tile, a = m + 2;
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        long tH = (h + m - 1) / m, tW = (w + m - 1) / m;
        long cout = _u!.shape[2];
        // Channels-last throughout: the decoder's activations already are (LayerNorm over C), and every gather and
        // scatter then moves contiguous runs of C values.
        var xp = F.pad(x.permute(0, 2, 3, 1), [0, 0, 1, tW * m + 1 - w, 1, tH * m + 1 - h]); // [B, m·tH + 2, m·tW + 2, C]
        var (bt, at) = Transforms(Tile, x.dtype, x.device);                                // [a², a²], [m², a²]

        long perRow = b * tW * a * a * Math.Max(c, cout) * x.ElementSize;                 // bytes of one tile row's V (or M)
        long rows = Math.Clamp(MaxChunkBytes / Math.Max(perRow, 1), 1, tH);
        var full = empty(new[] { b, tH * m, tW * m, cout }, x.dtype, x.device);             // written chunk by chunk
        for (long r0 = 0; r0 < tH; r0 += rows)
        {
            using var chunk = NewDisposeScope();
            long nr = Math.Min(rows, tH - r0);
            var tiles = xp.narrow(1, r0 * m, nr * m + 2).unfold(1, a, m).unfold(2, a, m); // [B, nr, tW, C, a, a]
            long n = b * nr * tW;
            var d = tiles.permute(4, 5, 0, 1, 2, 3).reshape(a * a, n * c);                 // [a², N·C]
            var v = bt.matmul(d).view(a * a, n, c);                                        // [a², N, C]
            var prod = v.bmm(_u).view(a * a, n * cout);                                    // [a², N·Cout]
            var y = at.matmul(prod).view(m, m, b, nr, tW, cout);                           // [m, m, B, nr, tW, Cout]
            full.narrow(1, r0 * m, nr * m).view(b, nr, m, tW, m, cout)                    // [B, nr, m, tW, m, Cout]
                .copy_(y.permute(2, 3, 0, 4, 1, 5));
        }
        Tensor output;
        if (tH * m == h && tW * m == w) output = _bias is null ? full : full.add_(_bias, Scalars.One);
        else
        {
            var cropped = full.narrow(1, 0, h).narrow(2, 0, w);
            output = _bias is null ? cropped.contiguous() : cropped.add(_bias, Scalars.One);
        }
        output = output.permute(0, 3, 1, 2);                                               // [B, Cout, H, W], channels-last strides
        return output.MoveToOuterDisposeScope();
    }

    private void EnsureWeights(ScalarType dtype, Device device)
    {
        var weight = _conv.weight!;
        var fingerprint = Fingerprint(weight);
        if (_u is not null && _weightHandle == weight.Handle && _fingerprint == fingerprint && _dtype == dtype
            && _device is not null && _device.type == device.type && _device.index == device.index)
            return;
        ResetCache();
        using var scope = NewDisposeScope();
        int m = (int)Tile, a = m + 2;
        long cout = weight.shape[0], cin = weight.shape[1];
        var g = GMatrix(Tile);                                                             // [a, 3] float64
        var gg = kron(g, g);                                                               // [a², 9]
        var u = gg.matmul(weight.detach().to(ScalarType.Float64, device).reshape(cout * cin, 9).t()) // [a², Cout·Cin]
            .view(a * a, cout, cin).transpose(1, 2).to(dtype).contiguous();                // [a², Cin, Cout]
        _u = u.DetachFromDisposeScope();                                                   // owned by this object
        _bias = _conv.bias is { } bias ? bias.detach().to(dtype, device).clone().DetachFromDisposeScope() : null;
        _weightHandle = weight.Handle;
        _fingerprint = fingerprint;
        _dtype = dtype;
        _device = device;
    }

    private static (double, double) Fingerprint(Tensor weight)
    {
        using var scope = NewDisposeScope();
        var w = weight.detach().to(ScalarType.Float64);
        return (w.sum().item<double>(), (w * w).sum().item<double>());
    }

    /// <summary><c>Bᵀ⊗Bᵀ</c> <c>[a², a²]</c> and <c>Aᵀ⊗Aᵀ</c> <c>[m², a²]</c> in the given dtype.</summary>
    private static (Tensor, Tensor) Transforms(WinogradTile tile, ScalarType dtype, Device device)
    {
        var (bt, at) = tile == WinogradTile.F2
            ? (tensor(new double[,] { { 1, 0, -1, 0 }, { 0, 1, 1, 0 }, { 0, -1, 1, 0 }, { 0, 1, 0, -1 } }),
               tensor(new double[,] { { 1, 1, 1, 0 }, { 0, 1, -1, -1 } }))
            : (tensor(new double[,]
               {
                   { 4, 0, -5, 0, 1, 0 }, { 0, -4, -4, 1, 1, 0 }, { 0, 4, -4, -1, 1, 0 },
                   { 0, -2, -1, 2, 1, 0 }, { 0, 2, -1, -2, 1, 0 }, { 0, 4, 0, -5, 0, 1 },
               }),
               tensor(new double[,]
               {
                   { 1, 1, 1, 1, 1, 0 }, { 0, 1, -1, 2, -2, 0 }, { 0, 1, 1, 4, 4, 0 }, { 0, 1, -1, 8, -8, 1 },
               }));
        return (kron(bt, bt).to(dtype, device), kron(at, at).to(dtype, device));
    }

    private static Tensor GMatrix(WinogradTile tile) => tile == WinogradTile.F2
        ? tensor(new double[,] { { 1, 0, 0 }, { 0.5, 0.5, 0.5 }, { 0.5, -0.5, 0.5 }, { 0, 0, 1 } })
        : tensor(new double[,]
        {
            { 1 / 4.0, 0, 0 }, { -1 / 6.0, -1 / 6.0, -1 / 6.0 }, { -1 / 6.0, 1 / 6.0, -1 / 6.0 },
            { 1 / 24.0, 1 / 12.0, 1 / 6.0 }, { 1 / 24.0, -1 / 12.0, 1 / 6.0 }, { 0, 0, 1 },
        });
}
