using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Data;
using Tcl.Tests.Support;

namespace Tcl.Tests.Cli;

/// <summary>A tiny <c>tcl train</c> setup: two webdataset shards of coloured squares and a config on the fixtures' CLIP.</summary>
internal static class TrainCliSetup
{
    public static string WriteShards(string dir)
    {
        var random = new Random(5);
        string[] colours = ["red", "green", "blue", "yellow"];
        for (int shard = 0; shard < 2; shard++)
        {
            using var writer = new WebDatasetWriter(Path.Combine(dir, $"shard-{shard:D2}.tar"));
            for (int i = 0; i < 10; i++)
            {
                int c = random.Next(colours.Length);
                using var image = new Image<Rgb24>(80, 72, new Rgb24((byte)(c == 0 ? 220 : 30), (byte)(c == 1 ? 220 : 30), (byte)(c == 2 ? 220 : 30)));
                writer.Add($"{shard:D2}{i:D4}", image, $"a photo of a {colours[c]} square");
            }
            writer.Add($"{shard:D2}9999", new Image<Rgb24>(8, 8), "");   // no caption: skipped and counted
            writer.Complete();
        }
        return Path.Combine(dir, "shard-{00..01}.tar");
    }

    /// <summary>Writes <c>train.json</c> (6 steps of 4, checkpoints every 3, output <c>run</c>) and returns its path.</summary>
    /// <param name="dir">Where the config (and, by default, the shards) go.</param>
    /// <param name="extra">More JSON fields, starting with a comma.</param>
    /// <param name="shards">The shards entries; default the two written by <see cref="WriteShards"/>.</param>
    public static string WriteConfig(string dir, string extra = "", IEnumerable<string>? shards = null)
    {
        var shardList = string.Join(", ", (shards ?? [WriteShards(dir)]).Select(s => $"\"{s}\""));
        var clip = WeightFixtures.File("clip_weights.safetensors");
        var dims = WeightFixtures.SharedClip().Dims;
        var path = Path.Combine(dir, "train.json");
        File.WriteAllText(path, $$"""
            {
              // the fixture set's tiny CLIP (clip_weights.json: its heads and input size)
              "clip_weights": "{{clip}}",
              "vision_heads": {{dims["vision_heads"]}},
              "text_heads": {{dims["transformer_heads"]}},
              "shards": [{{shardList}}],
              "batch_size": 4,
              "steps": 6,
              "decoder_only_steps": 2,
              "schedule": { "base_lr": 0.5, "min_lr": 0.05, "warmup_steps": 2, "total_steps": 8 },
              "augment": { "image_size": {{dims["image_resolution"]}}, "rand_augment": "rand-m9-mstd0.5-inc1" },
              "shuffle_buffer": 8,
              "prefetch": 1,
              "output_dir": "run",
              "checkpoint_every": 3,
              "keep_checkpoints": 0{{extra}}
            }
            """);
        return path;
    }
}
