using System.Text.Json;
using Tcl.Data;
using Tcl.Grounding;
using Tcl.Training;
using static TorchSharp.torch;

namespace Tcl.Tests.Support;

/// <summary>
/// Training checkpoints of the fixtures' tiny TCL without a training run: the learned weights of
/// <c>tcl_weights.safetensors</c> as <c>model.*</c> tensors and a <see cref="CheckpointInfo"/> whose run config
/// names the fixture's CLIP file, grounder and (unless told otherwise) head counts — what <c>tcl train</c> writes.
/// </summary>
public static class TrainingCheckpointFiles
{
    /// <summary>The fixture's grounder (<c>ie_freeze</c> from <c>tcl_weights.json</c>).</summary>
    public static GrounderConfig FixtureGrounder()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("tcl_weights.json")));
        return new GrounderConfig(FreezeBlocks: doc.RootElement.GetProperty("config").GetProperty("model").GetProperty("ie_freeze").GetInt32());
    }

    /// <summary>Writes a checkpoint to <paramref name="path"/>.</summary>
    /// <param name="path">Target file.</param>
    /// <param name="visionHeads">Heads recorded in the run config (default: the fixture's).</param>
    /// <param name="textHeads">Heads recorded in the run config (default: the fixture's).</param>
    /// <param name="edit">Changes to the learned weights before writing (names without the <c>model.</c> prefix).</param>
    public static string FromFixture(string path, int? visionHeads = null, int? textHeads = null, Action<Dictionary<string, Tensor>>? edit = null)
    {
        var dims = WeightFixtures.SharedClip().Dims;
        var config = new TclTrainConfig
        {
            ClipWeights = Fixtures.Path("clip_weights.safetensors"),
            VisionHeads = visionHeads ?? dims["vision_heads"],
            TextHeads = textHeads ?? dims["transformer_heads"],
            Grounder = FixtureGrounder(),
        };
        var info = new CheckpointInfo(TrainingCheckpoint.CurrentVersion, 5, DataCursor.Start, new Dictionary<string, long>(),
            DateTime.UnixEpoch, config.ToJson());
        var learned = WeightFileEdits.Load(Fixtures.Path("tcl_weights.safetensors"));
        try
        {
            edit?.Invoke(learned);
            var tensors = learned.ToDictionary(kv => TrainingCheckpoint.ModelPrefix + kv.Key, kv => kv.Value);
            WeightFileEdits.Write(path, tensors, new Dictionary<string, string>
            {
                ["format"] = "pt",
                [TrainingCheckpoint.MetadataKey] = JsonSerializer.Serialize(info),
            });
            return path;
        }
        finally
        {
            foreach (var t in learned.Values) t.Dispose();
        }
    }
}
