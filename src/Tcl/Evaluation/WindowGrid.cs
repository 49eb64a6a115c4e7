namespace Tcl.Evaluation;

/// <summary>One window of an image: rows <c>[Y1, Y2)</c>, columns <c>[X1, X2)</c>.</summary>
/// <param name="Y1">First row.</param>
/// <param name="Y2">One past the last row.</param>
/// <param name="X1">First column.</param>
/// <param name="X2">One past the last column.</param>
public readonly record struct WindowBox(int Y1, int Y2, int X1, int X2)
{
    /// <summary>Window height.</summary>
    public int Height => Y2 - Y1;

    /// <summary>Window width.</summary>
    public int Width => X2 - X1;
}

/// <summary>
/// mmseg 0.27's <c>slide_inference</c> window grid (<c>mmseg/models/segmentors/encoder_decoder.py</c>):
/// <c>n_rows = max(H − crop + stride − 1, 0) // stride + 1</c> (columns alike); window (r, c) starts at
/// <c>(r·stride, c·stride)</c>, is cut at the image border and then shifted back inside, so every window has the crop
/// size unless the image is smaller than the crop on that axis (then the window is the whole axis; the slider never
/// pads). Row-major order, as mmseg calls <c>encode_decode</c>.
/// </summary>
public static class WindowGrid
{
    /// <summary>The windows of an image, square crop and stride.</summary>
    public static IReadOnlyList<WindowBox> Slide(int height, int width, int crop, int stride) =>
        Slide(height, width, crop, crop, stride, stride);

    /// <summary>The windows of an image.</summary>
    /// <param name="height">Image height H.</param>
    /// <param name="width">Image width W.</param>
    /// <param name="cropHeight">Window height.</param>
    /// <param name="cropWidth">Window width.</param>
    /// <param name="strideHeight">Vertical stride.</param>
    /// <param name="strideWidth">Horizontal stride.</param>
    public static IReadOnlyList<WindowBox> Slide(int height, int width, int cropHeight, int cropWidth, int strideHeight, int strideWidth)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"Image size must be positive, got {height}×{width}.");
        if (cropHeight < 1 || cropWidth < 1 || strideHeight < 1 || strideWidth < 1)
            throw new ArgumentOutOfRangeException(nameof(cropHeight), $"Crop and stride must be positive, got crop {cropHeight}×{cropWidth}, stride {strideHeight}×{strideWidth}.");
        int rows = Count(height, cropHeight, strideHeight), cols = Count(width, cropWidth, strideWidth);
        var windows = new List<WindowBox>(rows * cols);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                int y1 = r * strideHeight, x1 = c * strideWidth;
                int y2 = Math.Min(y1 + cropHeight, height), x2 = Math.Min(x1 + cropWidth, width);
                y1 = Math.Max(y2 - cropHeight, 0);
                x1 = Math.Max(x2 - cropWidth, 0);
                windows.Add(new WindowBox(y1, y2, x1, x2));
            }
        }
        return windows;
    }

    /// <summary>mmseg's "whole" mode: one window, the whole image.</summary>
    public static IReadOnlyList<WindowBox> Whole(int height, int width) => [new WindowBox(0, height, 0, width)];

    /// <summary>Windows along one axis: <c>max(size − crop + stride − 1, 0) // stride + 1</c>.</summary>
    public static int Count(int size, int crop, int stride) => Math.Max(size - crop + stride - 1, 0) / stride + 1;

    /// <summary>How many windows cover each pixel, row-major <c>[H·W]</c> (mmseg's <c>count_mat</c>).</summary>
    public static int[] Coverage(int height, int width, IReadOnlyList<WindowBox> windows)
    {
        var count = new int[checked(height * width)];
        foreach (var w in windows)
            for (int y = w.Y1; y < w.Y2; y++)
                for (int x = w.X1; x < w.X2; x++)
                    count[y * width + x]++;
        return count;
    }
}
