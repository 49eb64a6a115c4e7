namespace Tcl.IO;

/// <summary>
/// The five PNG row filters, forward (encoding) and inverse (decoding), on one scanline. <c>bpp</c> is the number of
/// bytes per complete pixel, at least 1 (PNG spec §9.2); <c>previous</c> is the previous unfiltered row, all zeros
/// for the first row.
/// </summary>
internal static class PngFilters
{
    /// <summary>Reverses filter <paramref name="type"/> in place on <paramref name="row"/>.</summary>
    /// <returns>False when the filter type is not 0..4.</returns>
    public static bool Unfilter(int type, Span<byte> row, ReadOnlySpan<byte> previous, int bpp)
    {
        switch (type)
        {
            case 0:
                return true;
            case 1:
                for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                return true;
            case 2:
                for (int i = 0; i < row.Length; i++) row[i] += previous[i];
                return true;
            case 3:
                for (int i = 0; i < row.Length; i++)
                    row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + previous[i]) >> 1);
                return true;
            case 4:
                for (int i = 0; i < row.Length; i++)
                    row[i] += Paeth(i >= bpp ? row[i - bpp] : (byte)0, previous[i], i >= bpp ? previous[i - bpp] : (byte)0);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes filter <paramref name="type"/> (0..4) of <paramref name="row"/> into <paramref name="output"/>.</summary>
    public static void Filter(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bpp, Span<byte> output)
    {
        for (int i = 0; i < row.Length; i++)
        {
            byte left = i >= bpp ? row[i - bpp] : (byte)0;
            byte up = previous[i];
            byte upLeft = i >= bpp ? previous[i - bpp] : (byte)0;
            output[i] = type switch
            {
                0 => row[i],
                1 => (byte)(row[i] - left),
                2 => (byte)(row[i] - up),
                3 => (byte)(row[i] - ((left + up) >> 1)),
                _ => (byte)(row[i] - Paeth(left, up, upLeft)),
            };
        }
    }

    /// <summary>Sum of |residual| with residuals read as signed bytes (the adaptive-filter cost).</summary>
    public static long Cost(ReadOnlySpan<byte> filtered)
    {
        long sum = 0;
        foreach (var b in filtered) sum += Math.Abs((int)(sbyte)b);
        return sum;
    }

    private static byte Paeth(byte a, byte b, byte c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
