using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Tcl.Data;
using static TorchSharp.torch;

namespace Tcl.Tests.Data;

/// <summary>Small deterministic images, shards, datasets and a stand-in augmentation for the data tests.</summary>
internal static class DataTestKit
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>A <paramref name="size"/>² picture that differs for every <paramref name="seed"/> (gradients + a block).</summary>
    public static Image<Rgb24> Picture(int seed, int size = 16)
    {
        var image = new Image<Rgb24>(size, size);
        int bx = seed % size, by = seed * 7 % size;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                bool block = Math.Abs(x - bx) < 3 && Math.Abs(y - by) < 3;
                image[x, y] = new Rgb24((byte)(x * 255 / size), (byte)(y * 255 / size), (byte)(block ? 255 : seed * 37 % 200));
            }
        return image;
    }

    public static string Caption(int i) => $"a picture number {i} with a block";

    /// <summary>
    /// Stand-in for the real augmentation: resize to <paramref name="size"/>, a random horizontal flip and a random
    /// brightness factor drawn from the record's generator, ImageNet normalisation → float32 <c>[3, S, S]</c>.
    /// The random parts make the determinism tests sensitive to which generator a record gets.
    /// </summary>
    public static Func<Image<Rgb24>, Random, Tensor> Transform(int size = 16) => (image, rng) =>
    {
        bool flip = rng.Next(2) == 1;
        float brightness = 0.8f + 0.4f * (float)rng.NextDouble();
        using var resized = image.Clone(ctx =>
        {
            ctx.Resize(size, size);
            if (flip) ctx.Flip(FlipMode.Horizontal);
        });
        var data = new float[3 * size * size]; // [3, S, S]
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                var p = resized[x, y];
                int o = y * size + x;
                data[o] = (p.R / 255f * brightness - Mean[0]) / Std[0];
                data[size * size + o] = (p.G / 255f * brightness - Mean[1]) / Std[1];
                data[2 * size * size + o] = (p.B / 255f * brightness - Mean[2]) / Std[2];
            }
        return tensor(data, [3, size, size]);
    };

    /// <summary><paramref name="count"/> in-memory pairs <c>k0000…</c>; indices in <paramref name="corrupt"/> throw on decode.</summary>
    public static InMemoryImageTextDataset Pairs(int count, int size = 16, params int[] corrupt) =>
        new(Enumerable.Range(0, count).Select(i => new InMemoryImageTextDataset.Pair(
            $"k{i:D4}", Caption(i),
            corrupt.Contains(i)
                ? () => Image.Load<Rgb24>(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })
                : () => Picture(i, size))));

    /// <summary>Writes <paramref name="shards"/> shards of <paramref name="perShard"/> samples; keys <c>SSSSSIIII</c>.</summary>
    public static List<string> WriteShards(string dir, int shards, int perShard, ImageKind kind = ImageKind.Png, int size = 16)
    {
        var paths = new List<string>();
        for (int s = 0; s < shards; s++)
        {
            string path = Path.Combine(dir, $"shard-{s:D6}.tar");
            using var writer = new WebDatasetWriter(path);
            for (int i = 0; i < perShard; i++)
            {
                int n = s * perShard + i;
                using var picture = Picture(n, size);
                writer.Add($"{s:D5}{i:D4}", picture, Caption(n), kind);
            }
            writer.Complete();
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>Every record of <paramref name="dataset"/>'s epoch with a fresh counter.</summary>
    public static (List<ImageTextRecord> Records, DataCounters Counters) ReadAll(IImageTextDataset dataset, int epoch = 0)
    {
        var counters = new DataCounters();
        return (dataset.ReadEpoch(epoch, counters).ToList(), counters);
    }

    public static bool SamePixels(Image<Rgb24> a, Image<Rgb24> b)
    {
        if (a.Width != b.Width || a.Height != b.Height) return false;
        for (int y = 0; y < a.Height; y++)
            for (int x = 0; x < a.Width; x++)
                if (!a[x, y].Equals(b[x, y])) return false;
        return true;
    }

    public static double MeanAbsDifference(Image<Rgb24> a, Image<Rgb24> b)
    {
        double sum = 0;
        for (int y = 0; y < a.Height; y++)
            for (int x = 0; x < a.Width; x++)
                sum += Math.Abs(a[x, y].R - b[x, y].R) + Math.Abs(a[x, y].G - b[x, y].G) + Math.Abs(a[x, y].B - b[x, y].B);
        return sum / (3.0 * a.Width * a.Height);
    }
}

/// <summary>A fresh directory under the temp folder, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tcl-data-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A read-only, non-seekable view of a stream that counts the bytes handed out (like a pipe or HTTP body).</summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    public long BytesRead { get; private set; }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = inner.Read(buffer, offset, count);
        BytesRead += n;
        return n;
    }
}
