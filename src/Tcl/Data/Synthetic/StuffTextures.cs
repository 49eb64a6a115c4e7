namespace Tcl.Data.Synthetic;

/// <summary>
/// Procedural "stuff" textures: value noise (smooth hashed lattice) shaped into grass, sand, water, brick and sky with
/// each stuff's palette. Textures are noisy on purpose: a model must learn what "grass" looks like, not one colour.
/// </summary>
public static class StuffTextures
{
    /// <summary>Fills <paramref name="rgb"/> (row-major, 3 bytes per pixel, <paramref name="size"/>²) with the texture
    /// of <paramref name="stuff"/> where <paramref name="where"/> is true (null = everywhere).</summary>
    /// <param name="stuff">The stuff; its name picks the texture family.</param>
    /// <param name="size">Image side.</param>
    /// <param name="rgb">The pixel buffer.</param>
    /// <param name="where">Which pixels to fill, or null.</param>
    /// <param name="random">The scene's generator (noise lattice and offsets are drawn from it).</param>
    public static void Paint(SyntheticStuff stuff, int size, byte[] rgb, bool[]? where, Random random)
    {
        var noise = new ValueNoise(random.Next());
        var fine = new ValueNoise(random.Next());
        double phase = random.NextDouble() * 10;
        int brickH = 6, brickW = 12;
        var pal = stuff.Palette;
        byte[] c0 = pal[0], c1 = pal[1], c2 = pal.Count > 2 ? pal[2] : pal[1];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int p = y * size + x;
                if (where != null && !where[p]) continue;
                double r, g, b;
                switch (stuff.Name)
                {
                    case "grass":
                    {
                        double t = 0.6 * fine.At(x / 2.5, y / 1.2) + 0.4 * noise.At(x / 10.0, y / 10.0);
                        (r, g, b) = t < 0.5 ? Mix(c2, c0, t * 2) : Mix(c0, c1, (t - 0.5) * 2);
                        break;
                    }
                    case "sand":
                    {
                        double t = noise.At(x / 14.0, y / 14.0) * 0.8 + fine.At(x, y) * 0.2;
                        (r, g, b) = t < 0.5 ? Mix(c1, c0, t * 2) : Mix(c0, c2, (t - 0.5) * 2);
                        break;
                    }
                    case "water":
                    {
                        double t = 0.5 + 0.5 * Math.Sin(y * 0.9 + phase + 4 * noise.At(x / 12.0, y / 6.0));
                        (r, g, b) = t < 0.5 ? Mix(c2, c0, t * 2) : Mix(c0, c1, (t - 0.5) * 2);
                        break;
                    }
                    case "brick":
                    {
                        int row = y / brickH, offset = row % 2 == 0 ? 0 : brickW / 2;
                        int col = (x + offset) / brickW;
                        bool mortar = y % brickH == 0 || (x + offset) % brickW == 0;
                        if (mortar) (r, g, b) = (c2[0], c2[1], c2[2]);
                        else
                        {
                            double t = Hash01(row, col, 7) * 0.7 + fine.At(x / 1.5, y / 1.5) * 0.3;
                            (r, g, b) = Mix(c0, c1, t);
                        }
                        break;
                    }
                    case "sky":
                    {
                        (r, g, b) = Mix(c0, c1, (double)y / size);
                        double cloud = noise.At(x / 12.0 + phase, y / 7.0);
                        if (cloud > 0.62) (r, g, b) = Mix((r, g, b), c2, Math.Min(1, (cloud - 0.62) * 4));
                        break;
                    }
                    default:
                    {
                        double t = noise.At(x / 8.0, y / 8.0);
                        (r, g, b) = Mix(c0, c1, t);
                        break;
                    }
                }
                rgb[3 * p] = ToByte(r); rgb[3 * p + 1] = ToByte(g); rgb[3 * p + 2] = ToByte(b);
            }
    }

    private static (double, double, double) Mix(byte[] a, byte[] b, double t) => Mix((a[0], a[1], a[2]), b, t);

    private static (double, double, double) Mix((double R, double G, double B) a, byte[] b, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return (a.R + (b[0] - a.R) * t, a.G + (b[1] - a.G) * t, a.B + (b[2] - a.B) * t);
    }

    private static byte ToByte(double v) => (byte)Math.Clamp((int)Math.Round(v), 0, 255);

    internal static double Hash01(int x, int y, int seed)
    {
        uint h = (uint)(x * 374761393 + y * 668265263 + seed * 1442695041);
        h = (h ^ (h >> 13)) * 1274126177u;
        h ^= h >> 16;
        return (h & 0xFFFFFF) / (double)0x1000000;
    }

    /// <summary>Smooth value noise in [0, 1]: hashed lattice values, smoothstep-interpolated.</summary>
    private readonly struct ValueNoise(int seed)
    {
        public double At(double x, double y)
        {
            int xi = (int)Math.Floor(x), yi = (int)Math.Floor(y);
            double fx = x - xi, fy = y - yi;
            fx = fx * fx * (3 - 2 * fx);
            fy = fy * fy * (3 - 2 * fy);
            double a = Hash01(xi, yi, seed), b = Hash01(xi + 1, yi, seed);
            double c = Hash01(xi, yi + 1, seed), d = Hash01(xi + 1, yi + 1, seed);
            return (a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy;
        }
    }
}
