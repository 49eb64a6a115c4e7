using System.Text.Json.Nodes;
using Tcl.Data;
using Tcl.Grounding;
using Tcl.Tests.Support;
using Tcl.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Tests.Training;

/// <summary>
/// The trainer on a tiny TCL: a run resumed from a checkpoint ends with bit-identical weights and the same metrics
/// log as an uninterrupted run (decoder-only phase switch, LR warm-up and Gumbel noise included); a non-finite loss
/// stops with the step and the term; a checkpoint of another model is refused without touching the weights.
/// </summary>
public sealed class TrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tcl-trainer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// One random initialisation shared by every run. Snapshotted rather than re-seeded, since xunit runs other test
    /// classes in parallel and they draw from the same global generator.
    /// </summary>
    private static readonly Lazy<Dictionary<string, Tensor>> Initial = new(() =>
    {
        using var model = new TclModel(TinyModels.Clip);
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    });

    private static TclObjective NewObjective(long decoderOnlySteps)
    {
        var model = new TclModel(TinyModels.Clip);
        using (no_grad())
            foreach (var (name, t) in model.state_dict()) t.copy_(Initial.Value[name]);
        return new TclObjective(model, decoderOnlySteps, seed: 11);
    }

    private TrainerConfig Config(string name, long steps) => new(
        Steps: steps, BatchSize: 4, Schedule: new LrScheduleConfig(BaseLr: 0.05, MinLr: 0.005, WarmupSteps: Math.Min(100, steps / 2), TotalSteps: steps),
        OutputDir: Path.Combine(_dir, name), CheckpointEvery: (int)(steps / 2), KeepCheckpoints: 0);

    [Fact]
    public void ResumedRunEqualsUninterruptedRun()
    {
        const long steps = 2000;
        // Uninterrupted.
        var straight = NewObjective(decoderOnlySteps: 500);
        using (var trainer = new Trainer(straight, Config("straight", steps)))
        using (var data = new RandomBatches(4, 32, seed: 3))
            Assert.Equal(steps, trainer.Run(data).StepsCompleted);

        // Half, then a fresh process-like restart from the checkpoint.
        var config = Config("resumed", steps);
        using (var first = new Trainer(NewObjective(500), config with { Steps = steps / 2 }))
        using (var data = new RandomBatches(4, 32, seed: 3))
            first.Run(data);
        var resumed = NewObjective(500);
        using (var second = new Trainer(resumed, config))
        {
            var info = second.Resume(config.OutputDir);
            Assert.Equal(steps / 2, info.Step);
            Assert.Equal(new DataCursor(0, steps / 2 * 4), second.Cursor);
            using var data = new RandomBatches(4, 32, seed: 3, second.Cursor);
            Assert.Equal(steps, second.Run(data).StepsCompleted);
        }

        var a = straight.OptimizedParameters.ToDictionary(p => p.Name, p => p.Parameter);
        foreach (var (name, p) in resumed.OptimizedParameters)
            Assert.True(p.equal(a[name]).all().item<bool>(), $"{name} differs: max |diff| {(p - a[name]).abs().max().item<float>():E3}");
        Assert.False(straight.Tcl.DecoderOnly);

        var logA = MetricsLog.Read(Path.Combine(_dir, "straight", Trainer.MetricsFileName));
        var logB = MetricsLog.Read(Path.Combine(config.OutputDir, Trainer.MetricsFileName));
        Assert.Equal(Enumerable.Range(0, (int)steps).Select(i => (long)i), logB.Select(e => e["step"]!.GetValue<long>()));
        Assert.Equal(logA.Select(e => e["loss"]!.GetValue<double>()), logB.Select(e => e["loss"]!.GetValue<double>()));
        var initial = NewObjective(500);
        var init = initial.OptimizedParameters.ToDictionary(p => p.Name, p => p.Parameter);
        Assert.True((a["masker.sim2mask.w"] - init["masker.sim2mask.w"]).abs().item<float>() > 1e-3, "sim2mask.w did not train");
        initial.Tcl.Dispose();
        straight.Tcl.Dispose();
        resumed.Tcl.Dispose();
    }

    [Fact]
    public void CheckpointHoldsTheLearnedWeightsUnderTheirOfficialNames()
    {
        var objective = NewObjective(decoderOnlySteps: 0);
        using var trainer = new Trainer(objective, Config("names", 4));
        using var data = new RandomBatches(4, 32, seed: 1);
        var path = trainer.Run(data).LastCheckpoint!;
        var weights = TrainingCheckpoint.ReadModelWeights(path);
        Assert.Equal(objective.Tcl.LearnableParameters().Select(p => p.Name).Order(), weights.Keys.Order());
        Assert.Contains("masker.sim2mask.w", weights.Keys);
        // A released-style load of the checkpoint's weights into a fresh model reproduces the trained ones.
        using var fresh = new TclModel(TinyModels.Clip);
        TclWeights.LoadLearned(fresh, weights, path);
        var trained = objective.Tcl.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in fresh.LearnableParameters())
            Assert.True(p.equal(trained[name]).all().item<bool>(), name);
        foreach (var t in weights.Values) t.Dispose();
        objective.Tcl.Dispose();
    }

    [Fact]
    public void NonFiniteLossStopsWithTheStepAndTheTerm()
    {
        var objective = new ExplodingObjective(explodeAt: 3);
        using var trainer = new Trainer(objective, Config("nan", 10) with { CheckpointEvery = 2 });
        using var data = new RandomBatches(2, 8, seed: 0);
        var e = Assert.Throws<NonFiniteLossException>(() => trainer.Run(data));
        Assert.Equal(3, e.Step);
        Assert.Equal("bad_loss", e.Term);
        Assert.Contains("step 3", e.Message);
        Assert.Contains("bad_loss", e.Message);
        // The step was not applied; the checkpoint after step 2 is intact and resumable.
        Assert.Equal(3, trainer.Step);
        var info = TrainingCheckpoint.ReadInfo(Path.Combine(trainer.Config.OutputDir, TrainingCheckpoint.FileName(2)));
        Assert.Equal(2, info.Step);
        Assert.Equal(3, MetricsLog.Read(Path.Combine(trainer.Config.OutputDir, Trainer.MetricsFileName)).Count);
    }

    [Fact]
    public void CheckpointOfAnotherModelIsRefusedAndNothingChanges()
    {
        var objective = new ExplodingObjective(explodeAt: -1);
        using var trainer = new Trainer(objective, Config("other", 2));
        using var data = new RandomBatches(2, 8, seed: 0);
        var path = trainer.Run(data).LastCheckpoint!;

        var other = NewObjective(0);
        using var otherTrainer = new Trainer(other, Config("other2", 2));
        var before = other.OptimizedParameters.ToDictionary(p => p.Name, p => p.Parameter.detach().clone());
        var e = Assert.Throws<InvalidDataException>(() => otherTrainer.Resume(path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"Missing ({other.OptimizedParameters.Count}): masker.", e.Message);
        Assert.Contains("unexpected (1): weight", e.Message);
        foreach (var (name, p) in other.OptimizedParameters) Assert.True(p.equal(before[name]).all().item<bool>(), name);
        Assert.Equal(0, otherTrainer.Step);
        other.Tcl.Dispose();

        var notCheckpoint = Path.Combine(_dir, "weights.safetensors");
        SafetensorsTestWriter.Write(notCheckpoint, new Dictionary<string, Tensor> { ["weight"] = zeros(2) });
        var e2 = Assert.Throws<InvalidDataException>(() => TrainingCheckpoint.ReadInfo(notCheckpoint));
        Assert.Contains(notCheckpoint, e2.Message);
        Assert.Contains(TrainingCheckpoint.MetadataKey, e2.Message);
    }

    /// <summary>Fits one weight to 1; its second term turns NaN at a chosen step.</summary>
    private sealed class ExplodingObjective : ITrainingObjective
    {
        private readonly long _explodeAt;
        private readonly Linear _module = torch.nn.Linear(1, 1, hasBias: false);
        private long _step;

        public ExplodingObjective(long explodeAt)
        {
            _explodeAt = explodeAt;
            OptimizedParameters = _module.named_parameters().ToList();
        }

        public nn.Module Model => _module;
        public IReadOnlyList<(string Name, Parameter Parameter)> OptimizedParameters { get; }
        public IReadOnlyList<(string Name, Generator Generator)> Generators { get; } = [];
        public void BeginStep(long step) => _step = step;

        public LossResult ComputeLoss(ImageTextBatch batch)
        {
            using var scalars = new ScalarScope();
            var fit = _module.weight!.sub(Scalars.One).pow(scalars.Of(2)).sum();
            var bad = fit.mul(scalars.Of(_step == _explodeAt ? double.NaN : 0));
            return new LossResult(new Dictionary<string, Tensor> { ["fit_loss"] = fit, ["bad_loss"] = bad }, fit.add(bad, Scalars.One));
        }
    }
}
