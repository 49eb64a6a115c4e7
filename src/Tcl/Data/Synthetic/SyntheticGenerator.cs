namespace Tcl.Data.Synthetic;

/// <summary>
/// Produces the scenes of a synthetic world. Scene <c>i</c> of a split is a pure function of (world seed, split, i):
/// every random decision draws from a generator seeded by <see cref="DataSeeds.Mix"/> of those values, so scenes can
/// be generated in any order, in parallel, or one at a time on resume, and are always the same.
/// </summary>
/// <remarks>
/// Training scenes never contain a held-out colour–shape pair (the colour is re-drawn); test scenes use other seeds and
/// favour held-out pairs, so open-world evaluation asks about combinations the model never saw. Objects are placed
/// so that they overlap little; the visible masks account for occlusion by later objects.
/// </remarks>
public sealed class SyntheticGenerator
{
    /// <summary>Salt of scene generators, so scene seeds never coincide with other seeded decisions of the data path.</summary>
    public const long SceneSalt = 0x5343_454E_45; // "SCENE"

    /// <summary>Salt of caption generators.</summary>
    public const long CaptionSalt = 0x4341_5054_4E; // "CAPTN"

    private readonly SyntheticColour[][] _trainColours;

    /// <summary>A generator of <paramref name="config"/>'s world.</summary>
    /// <exception cref="ArgumentException">The config is inconsistent (<see cref="SyntheticWorldConfig.Validate"/>).</exception>
    public SyntheticGenerator(SyntheticWorldConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _trainColours = config.Shapes.Select(s => config.Colours.Where(c => !config.IsHeldOut(c.Name, s)).ToArray()).ToArray();
    }

    /// <summary>The world.</summary>
    public SyntheticWorldConfig Config { get; }

    /// <summary>Scene <paramref name="index"/> of <paramref name="split"/>.</summary>
    public SyntheticScene Generate(int index, SyntheticSplit split = SyntheticSplit.Train)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var cfg = Config;
        int size = cfg.ImageSize, n = size * size;
        var random = DataSeeds.Generator(cfg.Seed, SceneSalt, (long)split, index);
        var rgb = new byte[3 * n];
        var stuffMap = new byte[n];

        // Background: one stuff, or two separated by a wavy horizon (upper, lower).
        var stuffIds = new List<int> { random.Next(cfg.Stuff.Count) };
        if (cfg.Stuff.Count > 1 && random.NextDouble() < cfg.TwoStuffProbability)
        {
            int other;
            do other = random.Next(cfg.Stuff.Count); while (other == stuffIds[0]);
            stuffIds.Insert(0, other); // [upper, lower]
            double horizon = size * (0.3 + 0.3 * random.NextDouble()), amp = random.NextDouble() * 3, freq = 0.1 + random.NextDouble() * 0.2;
            var upper = new bool[n];
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    upper[y * size + x] = y < horizon + amp * Math.Sin(x * freq);
            var lower = upper.Select(u => !u).ToArray();
            StuffTextures.Paint(cfg.Stuff[stuffIds[0]], size, rgb, upper, random);
            StuffTextures.Paint(cfg.Stuff[stuffIds[1]], size, rgb, lower, random);
            for (int p = 0; p < n; p++) stuffMap[p] = (byte)(1 + (upper[p] ? stuffIds[0] : stuffIds[1]));
        }
        else
        {
            StuffTextures.Paint(cfg.Stuff[stuffIds[0]], size, rgb, null, random);
            Array.Fill(stuffMap, (byte)(1 + stuffIds[0]));
        }

        // Objects.
        int count = random.Next(cfg.MinObjects, cfg.MaxObjects + 1);
        var placed = new List<(double X, double Y, double R)>();
        var classMap = new byte[n];
        var instanceMap = new byte[n];
        var drafts = new List<(SyntheticShape? Shape, SyntheticColour? Colour, SyntheticSprite? Sprite, int Class, SyntheticSize Size, SyntheticPattern Pattern, double X, double Y, double R, bool[] Full, bool[] Pattern2)>();
        for (int k = 0; k < count; k++)
        {
            var sizeClass = (SyntheticSize)random.Next(3);
            var range = cfg.Radii[(int)sizeClass];
            double radius = size * (range[0] + (range[1] - range[0]) * random.NextDouble());
            double cx = 0, cy = 0;
            for (int attempt = 0; attempt < 20; attempt++)
            {
                cx = radius + random.NextDouble() * (size - 2 * radius);
                cy = radius + random.NextDouble() * (size - 2 * radius);
                if (placed.All(o => Math.Sqrt((o.X - cx) * (o.X - cx) + (o.Y - cy) * (o.Y - cy)) >= 0.8 * (o.R + radius))) break;
            }
            placed.Add((cx, cy, radius));

            if (cfg.Sprites.Count > 0 && random.NextDouble() < cfg.SpriteProbability)
            {
                int s = random.Next(cfg.Sprites.Count);
                var sprite = cfg.Sprites[s];
                var (mask, colours) = RasterSprite(sprite, cx, cy, radius, size);
                for (int p = 0; p < n; p++)
                    if (mask[p]) { rgb[3 * p] = colours[3 * p]; rgb[3 * p + 1] = colours[3 * p + 1]; rgb[3 * p + 2] = colours[3 * p + 2]; }
                drafts.Add((null, null, sprite, 1 + cfg.Shapes.Count + s, sizeClass, SyntheticPattern.None, cx, cy, radius, mask, new bool[n]));
            }
            else
            {
                int shapeIndex = random.Next(cfg.Shapes.Count);
                var shape = cfg.Shapes[shapeIndex];
                SyntheticColour colour;
                if (split == SyntheticSplit.Test && k == 0 && cfg.HeldOutPairs.Count > 0 && random.NextDouble() < cfg.HeldOutProbability)
                {
                    var pair = cfg.HeldOutPairs[random.Next(cfg.HeldOutPairs.Count)];
                    shapeIndex = cfg.Shapes.ToList().IndexOf(pair.Shape);
                    if (shapeIndex < 0) { shapeIndex = random.Next(cfg.Shapes.Count); colour = cfg.Colours[random.Next(cfg.Colours.Count)]; }
                    else { shape = pair.Shape; colour = cfg.Colours.First(c => c.Name == pair.Colour); }
                }
                else if (split == SyntheticSplit.Train)
                {
                    var allowed = _trainColours[shapeIndex];
                    colour = allowed[random.Next(allowed.Length)];
                }
                else colour = cfg.Colours[random.Next(cfg.Colours.Count)];

                var pattern = random.NextDouble() < cfg.PatternProbability
                    ? (random.Next(2) == 0 ? SyntheticPattern.Striped : SyntheticPattern.Dotted) : SyntheticPattern.None;
                var mask = ShapeRasterizer.Mask(shape, cx, cy, radius, size);
                var patternMask = new bool[n];
                byte[] pc = PatternColour(colour);
                int period = 3 + random.Next(3), phase = random.Next(period);
                for (int p = 0; p < n; p++)
                {
                    if (!mask[p]) continue;
                    int x = p % size, y = p / size;
                    bool onPattern = pattern switch
                    {
                        SyntheticPattern.Striped => (x + y + phase) % period < (period >= 5 ? 2 : 1),
                        SyntheticPattern.Dotted => (x + phase) % period == 0 && (y + phase) % period == 0,
                        _ => false,
                    };
                    patternMask[p] = onPattern;
                    if (onPattern) { rgb[3 * p] = pc[0]; rgb[3 * p + 1] = pc[1]; rgb[3 * p + 2] = pc[2]; }
                    else { rgb[3 * p] = colour.R; rgb[3 * p + 1] = colour.G; rgb[3 * p + 2] = colour.B; }
                }
                drafts.Add((shape, colour, null, 1 + shapeIndex, sizeClass, pattern, cx, cy, radius, mask, patternMask));
            }
            var full = drafts[^1].Full;
            for (int p = 0; p < n; p++)
                if (full[p]) { classMap[p] = (byte)drafts[^1].Class; instanceMap[p] = (byte)(k + 1); stuffMap[p] = 0; }
        }

        var objects = new List<SyntheticObject>(drafts.Count);
        for (int k = 0; k < drafts.Count; k++)
        {
            var d = drafts[k];
            var visible = new bool[n];
            var visiblePattern = new bool[n];
            for (int p = 0; p < n; p++)
            {
                visible[p] = instanceMap[p] == k + 1;
                visiblePattern[p] = visible[p] && d.Pattern2[p];
            }
            objects.Add(new SyntheticObject(d.Shape, d.Colour?.Name, d.Sprite?.Name, d.Class, d.Size, d.Pattern, d.X, d.Y, d.R, visible, visiblePattern));
        }
        var stuffNames = stuffIds.Distinct()
            .OrderByDescending(id => stuffMap.Count(v => v == id + 1))
            .Select(id => cfg.Stuff[id].Name).ToArray();
        int captionSeed = DataSeeds.Mix(cfg.Seed, CaptionSalt, (long)split, index);
        return new SyntheticScene(index, split, size, rgb, classMap, stuffMap, instanceMap, objects, stuffNames, captionSeed);
    }

    /// <summary>Scenes <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1, generated lazily.</summary>
    public IEnumerable<SyntheticScene> Scenes(int start, int count, SyntheticSplit split = SyntheticSplit.Train)
    {
        for (int i = 0; i < count; i++) yield return Generate(start + i, split);
    }

    /// <summary>The second colour of patterns: dark on light colours, light on dark ones, never the object colour.</summary>
    private static byte[] PatternColour(SyntheticColour c)
    {
        double luma = 0.299 * c.R + 0.587 * c.G + 0.114 * c.B;
        return luma > 140 ? [(byte)(c.R / 3), (byte)(c.G / 3), (byte)(c.B / 3)] : [(byte)(c.R / 2 + 128), (byte)(c.G / 2 + 128), (byte)(c.B / 2 + 128)];
    }

    private static (bool[] Mask, byte[] Rgb) RasterSprite(SyntheticSprite sprite, double cx, double cy, double radius, int size)
    {
        int n = size * size, cells = sprite.Rows.Count;
        var mask = new bool[n];
        var rgb = new byte[3 * n];
        double side = 2 * radius * 0.9, left = cx - side / 2, top = cy - side / 2;
        for (int y = Math.Max(0, (int)top); y < Math.Min(size, (int)Math.Ceiling(top + side)); y++)
            for (int x = Math.Max(0, (int)left); x < Math.Min(size, (int)Math.Ceiling(left + side)); x++)
            {
                int gx = (int)Math.Floor((x + 0.5 - left) / side * cells), gy = (int)Math.Floor((y + 0.5 - top) / side * cells);
                if (gx < 0 || gy < 0 || gx >= cells || gy >= cells) continue;
                char ch = sprite.Rows[gy][gx];
                if (ch == '.') continue;
                var c = sprite.Colours[ch.ToString()];
                int p = y * size + x;
                mask[p] = true;
                rgb[3 * p] = c[0]; rgb[3 * p + 1] = c[1]; rgb[3 * p + 2] = c[2];
            }
        return (mask, rgb);
    }
}
