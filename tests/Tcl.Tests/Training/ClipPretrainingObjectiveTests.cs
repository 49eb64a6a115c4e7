using Tcl.Clip;
using Tcl.Clip.Weights;
using Tcl.Data;
using Tcl.Tests.Support;
using Tcl.Training;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Tests.Training;

/// <summary>
/// CLIP pre-training from scratch: the loss is the symmetric InfoNCE of the model's own embeddings (checked against a
/// hand computation in float64), the trainer drives it down on a repeated batch, and a model saved with
/// <see cref="ClipWeightsWriter"/> is re-imported by <see cref="ClipWeights"/> with the same architecture and
/// bit-identical weights.
/// </summary>
public sealed class ClipPretrainingObjectiveTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-clippre-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A fixed batch of B random images and B distinct captions (SOT, 6 ids, EOT), returned again and again.</summary>
    private sealed class RepeatedBatch : IBatchSource
    {
        private readonly ImageTextBatch _batch;
        private long _consumed;

        public RepeatedBatch(int batchSize, int side, ulong seed)
        {
            var generator = new Generator(seed);
            var images = randn(new long[] { batchSize, 3, side, side }, generator: generator);
            var tokens = RandomBatches.CaptionTokens(batchSize, generator);
            var keys = Enumerable.Range(0, batchSize).Select(i => $"{i:D9}").ToList();
            _batch = new ImageTextBatch(images.DetachFromDisposeScope(), tokens.DetachFromDisposeScope(), keys, keys);
        }

        public ImageTextBatch Batch => _batch;

        public DataCounters Counters { get; } = new();

        public DataCursor Position => new(0, _consumed);

        public ImageTextBatch Next()
        {
            _consumed += _batch.Count;
            Counters.AddRead(_batch.Count);
            return new ImageTextBatch(_batch.Images.clone().DetachFromDisposeScope(), _batch.Tokens.clone().DetachFromDisposeScope(),
                _batch.Captions, _batch.Keys);
        }

        public void Dispose() => _batch.Dispose();
    }

    [Fact]
    public void LossIsSymmetricInfoNceOfTheModelsEmbeddings()
    {
        using var model = new ClipModel(TinyModels.Clip);
        var objective = new ClipPretrainingObjective(model);
        Assert.Empty(objective.Generators);
        Assert.Equal(model.parameters().Count(), objective.OptimizedParameters.Count);
        Assert.Contains(objective.OptimizedParameters, p => p.Name == "logit_scale");
        Near.Rel(Math.Log(1 / 0.07), model.logit_scale.item<float>(), Near.Float32Eps);   // stored as float32: ≤ ½ ulp

        model.eval();
        objective.BeginStep(0);
        Assert.True(model.training);
        Assert.True(model.visual.training);

        using var data = new RepeatedBatch(6, 32, seed: 5);
        using var scope = NewDisposeScope();
        var result = objective.ComputeLoss(data.Batch);
        Assert.Equal([ClipPretrainingObjective.TermName], result.Terms.Keys);
        Assert.Equal("clip_loss", ClipPretrainingObjective.TermName);
        Assert.True(result.Total.requires_grad);

        // Hand computation in float64 from the raw embeddings.
        double[,] Normalised(Tensor t)
        {
            var x = t.detach().to(float64);
            long n = x.shape[0], d = x.shape[1];
            var v = x.data<double>().ToArray();
            var m = new double[n, d];
            for (long i = 0; i < n; i++)
            {
                double norm = Math.Sqrt(Enumerable.Range(0, (int)d).Sum(k => v[i * d + k] * v[i * d + k]));
                for (long k = 0; k < d; k++) m[i, k] = v[i * d + k] / norm;
            }
            return m;
        }
        var img = Normalised(model.EncodeImage(data.Batch.Images));
        var txt = Normalised(model.EncodeText(data.Batch.Tokens));
        int b = img.GetLength(0), dim = img.GetLength(1);
        double scale = Math.Min(Math.Exp(model.logit_scale.item<float>()), 100);
        var logits = new double[b, b];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < b; j++)
                logits[i, j] = scale * Enumerable.Range(0, dim).Sum(k => img[i, k] * txt[j, k]);
        double rowLoss = 0, colLoss = 0;
        for (int i = 0; i < b; i++)
        {
            rowLoss += Math.Log(Enumerable.Range(0, b).Sum(j => Math.Exp(logits[i, j]))) - logits[i, i];
            colLoss += Math.Log(Enumerable.Range(0, b).Sum(j => Math.Exp(logits[j, i]))) - logits[i, i];
        }
        double expected = (rowLoss / b + colLoss / b) / 2;
        // float32 logits: a dot product of two unit vectors over `dim` terms is off by ≤ dim·2⁻²⁴ (worst case, ≈ 1.9e-6
        // for dim 32), times the scale (≤ 1/0.07 ≈ 14.3) ≈ 2.7e-5 per logit; log-sum-exp minus the diagonal at most
        // doubles it; the float32 normalisations add ~1e-7 (1e-6 allowed). That worst-case bound is the tolerance.
        double tolerance = 2 * dim * Math.Pow(2, -24) * scale + 1e-6;
        Near.Abs(expected, result.Total.item<float>(), tolerance, "total");
        Near.Abs(expected, result.Terms["clip_loss"].item<float>(), tolerance, "clip_loss");
        // Model-level logits agree with ClipModel.forward (no clamping at init).
        var forward = model.forward(data.Batch.Images, data.Batch.Tokens);
        var ours = ClipPretrainingObjective.Logits(model, data.Batch.Images, data.Batch.Tokens);
        Assert.True(forward.allclose(ours, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void LogitScaleIsCappedAtOneHundred()
    {
        using var model = new ClipModel(TinyModels.Clip);
        var objective = new ClipPretrainingObjective(model);
        using (no_grad()) model.logit_scale.copy_(tensor(6.0f));
        using var data = new RepeatedBatch(4, 32, seed: 9);
        using var scope = NewDisposeScope();
        var logits = ClipPretrainingObjective.Logits(model, data.Batch.Images, data.Batch.Tokens);
        Assert.True(logits.abs().max().item<float>() <= 100.0f + 1e-3f);
        objective.BeginStep(0);
        Near.Rel(Math.Log(100), model.logit_scale.item<float>(), 2 * Near.Float32Eps);   // float32 log: ≤ 1 ulp + ½ ulp storage
    }

    [Fact]
    public void TrainingOnARepeatedBatchReducesTheLoss()
    {
        const long steps = 300;
        const int batch = 8;
        using var model = new ClipModel(TinyModels.Clip);
        var objective = new ClipPretrainingObjective(model);
        var config = new TrainerConfig(
            Steps: steps, BatchSize: batch,
            Schedule: new LrScheduleConfig(BaseLr: 1e-3, MinLr: 1e-4, WarmupSteps: 20, TotalSteps: steps, ReferenceBatch: batch),
            OutputDir: Path.Combine(_dir, "run"), CheckpointEvery: 0, KeepCheckpoints: 1);
        using var data = new RepeatedBatch(batch, 32, seed: 21);
        double initial;
        using (NewDisposeScope())
        {
            objective.BeginStep(0);
            using (no_grad()) initial = objective.ComputeLoss(data.Batch).Total.item<float>();
        }
        using (var trainer = new Trainer(objective, config))
            Assert.Equal(steps, trainer.Run(data).StepsCompleted);

        var log = MetricsLog.Read(Path.Combine(config.OutputDir, Trainer.MetricsFileName));
        Assert.Equal((int)steps, log.Count);
        Assert.All(log, e => Assert.NotNull(e["terms"]!["clip_loss"]));
        double first = log[0]["loss"]!.GetValue<double>();
        double last = log.TakeLast(10).Average(e => e["loss"]!.GetValue<double>());
        // The same float32 loss on the same batch before any update, logged as a float and read back as a double
        // (≤ ½ ulp): 4 ulps leave room for a different reduction order between the no-grad and the training pass.
        Near.Rel(initial, first, 4 * Near.Float32Eps, what: "first logged loss");
        output.WriteLine($"clip_loss {first:F4} (ln B = {Math.Log(batch):F4}) → {last:F4} after {steps} steps");
        Assert.True(initial > 0.5 * Math.Log(batch), $"initial loss {initial:F4}");   // near chance (ln B) at random init
        Assert.True(last < 0.25 * first && last < 0.25 * Math.Log(batch), $"loss {first:F4} → {last:F4}");

        // The trained model exports and re-imports exactly.
        var path = Path.Combine(_dir, "trained.safetensors");
        ClipWeightsWriter.WriteSafetensors(model, path);
        using var checkpoint = ClipWeights.Read(path, TinyModels.Clip.Vision.Heads, TinyModels.Clip.Text.Heads);
        Assert.Equal(TinyModels.Clip, checkpoint.Config);
        AssertBitIdentical(model, checkpoint.StateDict);
    }

    [Fact]
    public void SyntheticSmallPresetExportsAsImportableClipWeights()
    {
        var config = ClipPresets.SyntheticSmall;
        Assert.Equal((64, 8, 128, 4, 4), (config.Vision.ImageResolution, config.Vision.PatchSize, config.Vision.Width, config.Vision.Layers, config.Vision.Heads));
        Assert.Equal((77, 49408, 128, 4), (config.Text.ContextLength, config.Text.VocabSize, config.Text.Width, config.Text.Heads));
        Assert.InRange(config.Text.Layers, 2, 3);
        Assert.Equal(128, config.EmbedDim);

        using var model = new ClipModel(config);
        using (no_grad()) model.logit_scale.copy_(tensor(3.25f));   // a "trained" temperature
        var path = Path.Combine(_dir, "synthetic-small.safetensors");
        ClipWeightsWriter.WriteSafetensors(model, path);

        var metadata = Tcl.IO.SafetensorsFile.ReadMetadata(path);
        Assert.Equal("4", metadata[ClipWeightsWriter.VisionHeadsKey]);
        Assert.Equal("4", metadata[ClipWeightsWriter.TextHeadsKey]);

        var (visionHeads, textHeads) = ClipPresets.SyntheticSmallHeads;
        using (var checkpoint = ClipWeights.Read(path, visionHeads, textHeads))
        {
            Assert.Equal(WeightFormat.Safetensors, checkpoint.Format);
            Assert.Equal(config, checkpoint.Config);
            AssertBitIdentical(model, checkpoint.StateDict);
        }

        using var loaded = ClipWeights.LoadModel(path, out var report, visionHeads, textHeads);
        Assert.Equal(model.state_dict().Count, report.TensorsLoaded);
        AssertBitIdentical(model, loaded.state_dict());
    }

    private static void AssertBitIdentical(ClipModel model, IEnumerable<KeyValuePair<string, Tensor>> actual)
    {
        var weights = actual.ToDictionary(kv => kv.Key, kv => kv.Value);
        var expected = model.state_dict();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), weights.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, t) in expected)
        {
            Assert.Equal(t.shape, weights[name].shape);
            Assert.Equal(t.dtype, weights[name].dtype);
            Assert.True(t.equal(weights[name]).all().item<bool>(), $"{name} differs");
        }
    }
}
