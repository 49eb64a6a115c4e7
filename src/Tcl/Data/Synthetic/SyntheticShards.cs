using System.Text.Json;

namespace Tcl.Data.Synthetic;

/// <summary>
/// Writes a synthetic world as webdataset tar shards in img2dataset's layout (through <see cref="WebDatasetWriter"/>),
/// so that pretraining on the synthetic world reads the very same files and code path as CC3M/CC12M.
/// </summary>
public static class SyntheticShards
{
    /// <summary>
    /// Writes scenes 0..<paramref name="count"/> − 1 of <paramref name="split"/> as shards <c>00000.tar</c>, <c>00001.tar</c> …
    /// of <paramref name="shardSize"/> samples each under <paramref name="directory"/>. Keys are the zero-padded
    /// scene index (<c>000000042</c>), so a sample is traceable to its scene; each <c>.json</c> holds the scene's
    /// objects and stuff. Shards appear atomically and are byte-identical for the same config.
    /// </summary>
    /// <param name="directory">Output folder (created if needed).</param>
    /// <param name="config">The world.</param>
    /// <param name="count">Number of samples.</param>
    /// <param name="shardSize">Samples per shard (img2dataset's default is 10 000).</param>
    /// <param name="split">Which split's scenes to write.</param>
    /// <param name="kind">Image encoding; PNG keeps the exact pixels, JPEG is what web shards hold.</param>
    /// <param name="progress">Receives the number of samples written so far after each shard.</param>
    /// <returns>The shard paths in order.</returns>
    public static IReadOnlyList<string> Write(string directory, SyntheticWorldConfig config, int count, int shardSize,
        SyntheticSplit split = SyntheticSplit.Train, ImageKind kind = ImageKind.Png, IProgress<int>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardSize, 1);
        var generator = new SyntheticGenerator(config);
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        for (int start = 0, shard = 0; start < count; start += shardSize, shard++)
        {
            string path = Path.Combine(directory, $"{shard:D5}.tar");
            using (var writer = new WebDatasetWriter(path))
            {
                for (int i = start; i < Math.Min(count, start + shardSize); i++)
                {
                    var scene = generator.Generate(i, split);
                    string caption = CaptionWriter.Write(scene, config.Captions);
                    using var image = scene.ToImage();
                    writer.Add($"{i:D9}", image, caption, kind, Metadata(scene, caption));
                }
                writer.Complete();
            }
            paths.Add(Path.GetFullPath(path));
            progress?.Report(Math.Min(count, start + shardSize));
        }
        return paths;
    }

    /// <summary>The img2dataset-like metadata of a scene plus its objects and stuff (no masks).</summary>
    public static string Metadata(SyntheticScene scene, string caption) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["key"] = $"{scene.Index:D9}", ["caption"] = caption, ["status"] = "success", ["error_message"] = null,
        ["width"] = scene.Size, ["height"] = scene.Size, ["split"] = scene.Split.ToString().ToLowerInvariant(),
        ["stuff"] = scene.StuffNames,
        ["objects"] = scene.Objects.Select(o => new Dictionary<string, object?>
        {
            ["shape"] = o.Shape?.ToString().ToLowerInvariant(), ["colour"] = o.Colour, ["sprite"] = o.Sprite,
            ["class"] = o.ObjectClass, ["size"] = o.Size.ToString().ToLowerInvariant(), ["pattern"] = o.Pattern.ToString().ToLowerInvariant(),
            ["x"] = Math.Round(o.CenterX, 2), ["y"] = Math.Round(o.CenterY, 2), ["radius"] = Math.Round(o.Radius, 2), ["area"] = o.Area,
        }).ToArray(),
    });
}
