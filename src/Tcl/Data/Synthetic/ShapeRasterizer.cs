namespace Tcl.Data.Synthetic;

/// <summary>
/// Point-in-shape tests on a pixel grid, written by hand (no ImageSharp.Drawing) so that the ground truth is exactly
/// the set of pixels that were painted: a pixel belongs to a shape when its centre lies inside, with no anti-aliasing,
/// hence no mixed colours at the border.
/// </summary>
public static class ShapeRasterizer
{
    private static readonly (double X, double Y)[] StarPolygon = BuildStar();

    /// <summary>Whether the point (<paramref name="u"/>, <paramref name="v"/>), in units of the object's radius
    /// relative to its centre (v grows downwards), lies inside <paramref name="shape"/>.</summary>
    public static bool Inside(SyntheticShape shape, double u, double v)
    {
        double au = Math.Abs(u), av = Math.Abs(v);
        switch (shape)
        {
            case SyntheticShape.Circle: return u * u + v * v <= 1.0;
            case SyntheticShape.Square: return au <= 0.82 && av <= 0.82;
            case SyntheticShape.Triangle: return v >= -0.95 && v <= 0.75 && au <= (v + 0.95) / 1.7 * 1.0;
            case SyntheticShape.Diamond: return au / 0.75 + av <= 1.0;
            case SyntheticShape.Cross: return (au <= 0.3 && av <= 0.95) || (av <= 0.3 && au <= 0.95);
            case SyntheticShape.Ring: { double r2 = u * u + v * v; return r2 <= 1.0 && r2 >= 0.5 * 0.5; }
            case SyntheticShape.Heart:
            {
                double x = u * 1.15, y = -v * 1.15 + 0.2;
                double a = x * x + y * y - 1;
                return a * a * a - x * x * y * y * y <= 0;
            }
            case SyntheticShape.Star: return InPolygon(StarPolygon, u, v);
            default: throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown shape.");
        }
    }

    /// <summary>Paints <paramref name="shape"/> centred at (<paramref name="cx"/>, <paramref name="cy"/>) with radius
    /// <paramref name="radius"/> pixels into a boolean mask of <paramref name="size"/>² pixels.</summary>
    public static bool[] Mask(SyntheticShape shape, double cx, double cy, double radius, int size)
    {
        var mask = new bool[size * size];
        int x0 = Math.Max(0, (int)Math.Floor(cx - radius - 1)), x1 = Math.Min(size - 1, (int)Math.Ceiling(cx + radius + 1));
        int y0 = Math.Max(0, (int)Math.Floor(cy - radius - 1)), y1 = Math.Min(size - 1, (int)Math.Ceiling(cy + radius + 1));
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                mask[y * size + x] = Inside(shape, (x + 0.5 - cx) / radius, (y + 0.5 - cy) / radius);
        return mask;
    }

    private static bool InPolygon((double X, double Y)[] poly, double x, double y)
    {
        bool inside = false;
        for (int i = 0, j = poly.Length - 1; i < poly.Length; j = i++)
        {
            var (xi, yi) = poly[i];
            var (xj, yj) = poly[j];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }

    private static (double, double)[] BuildStar()
    {
        var points = new (double, double)[10];
        for (int k = 0; k < 10; k++)
        {
            double r = k % 2 == 0 ? 1.0 : 0.45, angle = -Math.PI / 2 + k * Math.PI / 5;
            points[k] = (r * Math.Cos(angle), r * Math.Sin(angle) + 0.08);
        }
        return points;
    }
}
