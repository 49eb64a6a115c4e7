namespace Tcl.Evaluation;

/// <summary>
/// OpenCV's <c>cv::resize(..., INTER_LINEAR)</c> on 8-bit interleaved images, re-implemented on byte arrays because
/// mmseg's test pipeline resizes with it (the <c>Resize</c> step of the official
/// <c>segmentation/configs/_base_/datasets/</c>) and no OpenCV binding is available here.
/// </summary>
/// <remarks>
/// <para>What is reproduced (OpenCV 3.4/4.x <c>resizeGeneric_</c> with the fixed-point 8-bit path):</para>
/// <list type="bullet">
/// <item>Half-pixel centres: <c>f = (float)((d + 0.5)·scale − 0.5)</c> with <c>scale = 1/(dst/src)</c> in double,
/// then float; <c>s = floor(f)</c>, <c>f −= s</c>.</item>
/// <item>Horizontal borders: <c>s &lt; 0</c> → (0, f = 0); <c>s ≥ W−1</c> → (W−1, f = 0). Vertical offsets are
/// <b>not</b> clamped; the two source rows are clipped to [0, H−1] instead, so the top/bottom rows keep their
/// fractional weights on a duplicated row (this matters for the rounding below).</item>
/// <item>Weights <c>round((1−f)·2048)</c>, <c>round(f·2048)</c> (INTER_RESIZE_COEF_BITS = 11, rounding half to
/// even like <c>cvRound</c>); horizontal pass exact in int32: <c>S = a0·p0 + a1·p1</c>.</item>
/// <item>Vertical pass as OpenCV's 8-bit specialisation of <c>VResizeLinear</c> computes it (its SIMD and its
/// scalar tail agree): <c>((b0·(S0 &gt;&gt; 4)) &gt;&gt; 16) + ((b1·(S1 &gt;&gt; 4)) &gt;&gt; 16) + 2) &gt;&gt; 2</c>.
/// This truncates slightly differently from the ideal <c>(b0·S0 + b1·S1 + 2²¹) &gt;&gt; 22</c>
/// (<c>exactVerticalRounding</c>), by at most one grey level.</item>
/// <item>Same size: a plain copy (as <c>cv::resize</c>). An exact 2× downscale, which OpenCV routes to INTER_AREA,
/// gives <c>(a+b+c+d+2) &gt;&gt; 2</c> on both routes, so it needs no special case.</item>
/// </list>
/// <para>How exact: this follows OpenCV's generic C++ code, checked here only against hand-computed values and
/// properties (no OpenCV on this machine). Builds that dispatch <c>INTER_LINEAR</c> to Intel IPP or OpenVX/HAL
/// back-ends (possible in some opencv-python wheels) can differ by ±1 grey level on some pixels; after
/// normalisation that is ≤ 0.018 per value, well below what changes a segmentation.</para>
/// </remarks>
public static class OpenCvLinearResize
{
    private const int CoefBits = 11;
    private const int CoefScale = 1 << CoefBits; // 2048

    /// <summary>Resizes an interleaved 8-bit image.</summary>
    /// <param name="src">Pixels <c>[srcHeight, srcWidth, channels]</c> row-major.</param>
    /// <param name="srcWidth">Source width.</param>
    /// <param name="srcHeight">Source height.</param>
    /// <param name="channels">Interleaved channels (1–4).</param>
    /// <param name="dstWidth">Target width.</param>
    /// <param name="dstHeight">Target height.</param>
    /// <param name="exactVerticalRounding">Round the vertical pass mathematically instead of truncating as OpenCV
    /// does (for comparisons only; default false = OpenCV).</param>
    /// <returns>Pixels <c>[dstHeight, dstWidth, channels]</c>.</returns>
    public static byte[] Resize(ReadOnlySpan<byte> src, int srcWidth, int srcHeight, int channels, int dstWidth, int dstHeight,
        bool exactVerticalRounding = false)
    {
        if (srcWidth < 1 || srcHeight < 1 || dstWidth < 1 || dstHeight < 1 || channels < 1)
            throw new ArgumentException($"Sizes must be positive: {srcWidth}×{srcHeight}×{channels} → {dstWidth}×{dstHeight}.");
        if (src.Length != checked(srcWidth * srcHeight * channels))
            throw new ArgumentException($"Expected {srcWidth * srcHeight * channels} bytes, got {src.Length}.", nameof(src));
        if (srcWidth == dstWidth && srcHeight == dstHeight) return src.ToArray();

        var (xofs, alpha) = HorizontalTable(srcWidth, dstWidth, channels);
        var (yofs, beta) = VerticalTable(srcHeight, dstHeight);
        int rowLength = dstWidth * channels;
        var dst = new byte[checked(rowLength * dstHeight)];
        // Horizontally resized source rows, cached because consecutive output rows share them.
        var rowCache = new Dictionary<int, int[]>();
        for (int dy = 0; dy < dstHeight; dy++)
        {
            int r0 = Math.Clamp(yofs[dy], 0, srcHeight - 1), r1 = Math.Clamp(yofs[dy] + 1, 0, srcHeight - 1);
            var s0 = HorizontalRow(src, r0, srcWidth, channels, xofs, alpha, rowCache);
            var s1 = HorizontalRow(src, r1, srcWidth, channels, xofs, alpha, rowCache);
            int b0 = beta[2 * dy], b1 = beta[2 * dy + 1];
            var outRow = dst.AsSpan(dy * rowLength, rowLength);
            for (int x = 0; x < rowLength; x++)
                outRow[x] = exactVerticalRounding
                    ? (byte)Math.Clamp((int)(((long)s0[x] * b0 + (long)s1[x] * b1 + (1L << (2 * CoefBits - 1))) >> (2 * CoefBits)), 0, 255)
                    : (byte)Math.Clamp(((b0 * (s0[x] >> 4)) >> 16) + ((b1 * (s1[x] >> 4)) >> 16) + 2 >> 2, 0, 255);
            foreach (var stale in rowCache.Keys.Where(k => k < r0).ToList()) rowCache.Remove(stale);
        }
        return dst;
    }

    /// <summary>Source offsets (per output element) and the two weights per output pixel of the horizontal pass.</summary>
    internal static (int[] Offsets, short[] Weights) HorizontalTable(int srcWidth, int dstWidth, int channels)
    {
        double scale = 1.0 / ((double)dstWidth / srcWidth);
        var offsets = new int[dstWidth * channels];
        var weights = new short[dstWidth * 2];
        for (int dx = 0; dx < dstWidth; dx++)
        {
            float fx = (float)((dx + 0.5) * scale - 0.5);
            int sx = (int)MathF.Floor(fx);
            fx -= sx;
            if (sx < 0) { fx = 0; sx = 0; }
            if (sx >= srcWidth - 1) { fx = 0; sx = srcWidth - 1; }
            for (int c = 0; c < channels; c++) offsets[dx * channels + c] = sx * channels + c;
            weights[2 * dx] = Coefficient(1f - fx);
            weights[2 * dx + 1] = Coefficient(fx);
        }
        return (offsets, weights);
    }

    /// <summary>First source row (unclamped) and the two weights of each output row.</summary>
    internal static (int[] Offsets, short[] Weights) VerticalTable(int srcHeight, int dstHeight)
    {
        double scale = 1.0 / ((double)dstHeight / srcHeight);
        var offsets = new int[dstHeight];
        var weights = new short[dstHeight * 2];
        for (int dy = 0; dy < dstHeight; dy++)
        {
            float fy = (float)((dy + 0.5) * scale - 0.5);
            int sy = (int)MathF.Floor(fy);
            fy -= sy;
            offsets[dy] = sy;
            weights[2 * dy] = Coefficient(1f - fy);
            weights[2 * dy + 1] = Coefficient(fy);
        }
        return (offsets, weights);
    }

    /// <summary><c>saturate_cast&lt;short&gt;(w·2048)</c>: float product, round half to even.</summary>
    private static short Coefficient(float w) => (short)Math.Clamp(MathF.Round(w * CoefScale, MidpointRounding.ToEven), short.MinValue, short.MaxValue);

    private static int[] HorizontalRow(ReadOnlySpan<byte> src, int row, int srcWidth, int channels, int[] xofs, short[] alpha,
                                       Dictionary<int, int[]> cache)
    {
        if (cache.TryGetValue(row, out var cached)) return cached;
        var line = src.Slice(row * srcWidth * channels, srcWidth * channels);
        var result = new int[xofs.Length];
        int last = srcWidth * channels - channels;
        for (int i = 0; i < xofs.Length; i++)
        {
            int sx = xofs[i];
            int a0 = alpha[2 * (i / channels)], a1 = alpha[2 * (i / channels) + 1];
            // At the right border OpenCV reads only S[sx]·2048 (a1 is 0 there); never read past the row.
            result[i] = sx >= last ? line[sx] * a0 : line[sx] * a0 + line[sx + channels] * a1;
        }
        cache[row] = result;
        return result;
    }
}
