using static TorchSharp.torch;

namespace Tcl.Evaluation;

/// <summary>
/// The last step of mmseg's inference — bilinear resize (<c>align_corners = False</c>) of the averaged scores
/// <c>[1, C, H, W]</c> to the original size H0×W0, softmax over classes, argmax — computed in bands of output rows,
/// so memory grows with C·band·W0 instead of C·H0·W0: an 8000×6000 photo with 21 classes would otherwise hold two
/// 4 GB float tensors, while the network only ever saw its 597×448 resized copy.
/// </summary>
/// <remarks>
/// PyTorch's CPU kernel computes every output value as <c>λ0(y)·row_a(x) + λ1(y)·row_b(x)</c>, where
/// <c>row(x) = μ0(x)·s(r, x0) + μ1(x)·s(r, x1)</c> is the source row interpolated along the width. A band reproduces
/// that exactly: the width pass is <see cref="nn.functional.interpolate"/> on the band's source rows with their number
/// unchanged (the height weights are then 1 and 0, so the kernel returns <c>row(x)</c> itself), and the height pass
/// uses PyTorch's own source-index and weight formulas (float32, <c>area_pixel_compute_source_index</c> clamped at
/// 0, <c>λ1 = min(max(src − ⌊src⌋, 0), 1)</c>, <c>λ0 = 1 − λ1</c>) with the fused multiply-adds libtorch's build
/// produces. Softmax and argmax are per pixel, so bands do not change them. That equality was measured, not derived
/// from a specification (libtorch 2.10 CPU; <c>BandedLabelResizeTests</c> check it bit for bit): it holds when the
/// result has more rows than the source — the case of a large original — and the downsampling kernel differs, so
/// results with fewer rows, and any result within one band's budget, go through <c>interpolate</c> in one piece.
/// </remarks>
public static class BandedLabelResize
{
    /// <summary>Floats per band buffer (C·rows·W0): 4 M floats = 16 MB, a whole normal image in one band.</summary>
    public const long BandFloats = 4L << 20;

    /// <summary>
    /// Calls <paramref name="sink"/> with consecutive bands of the argmax labels at the original size, top to bottom.
    /// </summary>
    /// <param name="scores">Averaged scores <c>[1, C, H, W]</c> float32 (CPU).</param>
    /// <param name="height">H0.</param>
    /// <param name="width">W0.</param>
    /// <param name="sink">Receives the first row of the band and its labels <c>[rows, W0]</c> int64 (disposed after the call).</param>
    /// <param name="bandFloats">Budget of one band (tests use small values to cross band borders).</param>
    public static void Labels(Tensor scores, int height, int width, Action<int, Tensor> sink, long bandFloats = BandFloats) =>
        Resized(scores, height, width, (y0, band) =>
        {
            using var scope = NewDisposeScope();
            sink(y0, band.softmax(1).argmax(1).squeeze(0));                                 // [1, C, n, W0] → [n, W0]
        }, bandFloats);

    /// <summary>
    /// Calls <paramref name="sink"/> with consecutive bands of <c>interpolate(scores, [H0, W0], bilinear,
    /// align_corners = False)</c>, bit for bit, top to bottom.
    /// </summary>
    /// <param name="scores">Scores <c>[1, C, H, W]</c> (CPU; cast to float32).</param>
    /// <param name="height">H0.</param>
    /// <param name="width">W0.</param>
    /// <param name="sink">Receives the first row of the band and the band <c>[1, C, rows, W0]</c> (disposed after the call).</param>
    /// <param name="bandFloats">Most floats per band (C·rows·W0; at least one row).</param>
    public static void Resized(Tensor scores, int height, int width, Action<int, Tensor> sink, long bandFloats = BandFloats)
    {
        if (scores.dim() != 4 || scores.shape[0] != 1)
            throw new ArgumentException($"Expected scores [1, C, H, W], got [{string.Join(", ", scores.shape)}].", nameof(scores));
        int classes = (int)scores.shape[1], sourceHeight = (int)scores.shape[2];
        // Small results, and any result with fewer rows than the source (the original image was smaller than the
        // network input, so the full tensor is no larger than C·H·W), take PyTorch's own kernel in one piece. Banding
        // is for the upsampling back to a large original, where the formulas below are bit-exact (see the tests).
        if ((long)classes * height * width <= bandFloats || height < sourceHeight)
        {
            using var scope = NewDisposeScope();
            sink(0, nn.functional.interpolate(scores.to(ScalarType.Float32), size: [height, width],
                mode: InterpolationMode.Bilinear, align_corners: false));                       // [1, C, H0, W0]
            return;
        }
        int bandRows = (int)Math.Clamp(bandFloats / ((long)classes * width), 1, height);
        var rows = SourceRows(sourceHeight, height);
        using var contiguous = scores.to(ScalarType.Float32).contiguous();
        for (int y0 = 0; y0 < height; y0 += bandRows)
        {
            int n = Math.Min(bandRows, height - y0);
            int r0 = rows[y0].Index0, r1 = rows[y0 + n - 1].Index1;
            using var scope = NewDisposeScope();
            // Width pass on the band's source rows only: [1, C, m, W] → [1, C, m, W0], rows unchanged.
            var source = contiguous.narrow(2, r0, r1 - r0 + 1);
            var widened = nn.functional.interpolate(source, size: [r1 - r0 + 1, width],
                mode: InterpolationMode.Bilinear, align_corners: false).contiguous();        // [1, C, m, W0]
            var band = HeightPass(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(widened.bytes), classes, r1 - r0 + 1, width, rows.AsSpan(y0, n), r0);
            sink(y0, tensor(band, [1, classes, n, width]));                                 // [1, C, n, W0]
        }
    }

    /// <summary>One output row's two source rows and weights, as PyTorch computes them.</summary>
    public readonly record struct SourceRow(int Index0, int Index1, float Lambda0, float Lambda1);

    /// <summary>
    /// PyTorch's <c>compute_source_index_and_lambda</c> for every output row: <c>scale = (float)in / out</c>,
    /// <c>src = max(scale·(y + 0.5) − 0.5, 0)</c>, <c>i0 = min(⌊src⌋, in − 1)</c>, <c>i1 = i0 + (i0 &lt; in − 1)</c>,
    /// <c>λ1 = clamp(src − i0, 0, 1)</c>, <c>λ0 = 1 − λ1</c>, all in float32.
    /// </summary>
    public static SourceRow[] SourceRows(int inputSize, int outputSize)
    {
        float scale = (float)inputSize / outputSize;
        var rows = new SourceRow[outputSize];
        for (int y = 0; y < outputSize; y++)
        {
            // libtorch's CPU kernels are built with FMA contraction: scale·(y + 0.5) − 0.5 is one fused operation.
            float src = MathF.FusedMultiplyAdd(scale, y + 0.5f, -0.5f);
            if (src < 0f) src = 0f;
            int i0 = Math.Min((int)MathF.Floor(src), inputSize - 1);
            int i1 = i0 + (i0 < inputSize - 1 ? 1 : 0);
            float lambda1 = Math.Min(Math.Max(src - i0, 0f), 1f);
            rows[y] = new SourceRow(i0, i1, 1f - lambda1, lambda1);
        }
        return rows;
    }

    /// <summary>
    /// The height pass for one band: <c>out[c, y, x] = fma(row_a[x], λ0, row_b[x]·λ1)</c>, <c>[C, m, W0]</c> →
    /// <c>[C, n, W0]</c>.
    /// </summary>
    private static float[] HeightPass(ReadOnlySpan<float> widened, int classes, int sourceRows, int width, ReadOnlySpan<SourceRow> rows, int firstSourceRow)
    {
        int n = rows.Length;
        var output = new float[(long)classes * n * width];
        for (int c = 0; c < classes; c++)
        {
            var plane = widened.Slice(c * sourceRows * width, sourceRows * width);
            for (int y = 0; y < n; y++)
            {
                var row = rows[y];
                var a = plane.Slice((row.Index0 - firstSourceRow) * width, width);
                var b = plane.Slice((row.Index1 - firstSourceRow) * width, width);
                var o = output.AsSpan((c * n + y) * width, width);
                float l0 = row.Lambda0, l1 = row.Lambda1;
                // As the kernel computes it after contraction: fma(a, λ0, b·λ1).
                for (int x = 0; x < width; x++) o[x] = MathF.FusedMultiplyAdd(a[x], l0, b[x] * l1);
            }
        }
        return output;
    }
}
