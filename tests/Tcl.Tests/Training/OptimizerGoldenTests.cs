using System.Text.Json;
using Tcl.Grounding;
using Tcl.Tests.Grounding;
using Tcl.Tests.Support;
using Tcl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Training;

/// <summary>
/// The optimiser against the official code (<c>spec/data/golden/</c>): one AdamW step after the golden training step
/// (clipping at 5, lr 7.5e-5, eps 1e-6, weight decay 0.05 on the official groups), and the LR schedule for global
/// batches 1,024 and 512.
/// </summary>
public sealed class OptimizerGoldenTests
{
    private static JsonDocument Golden(string name) => JsonDocument.Parse(File.ReadAllText(Fixtures.SpecData("golden/" + name)));

    [Fact]
    public void WeightDecayGroupsMatchTheOfficialRule()
    {
        using var golden = Golden("golden_train_step.json");
        using var model = GoldenTinyTcl.Load();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var groups = golden.RootElement.GetProperty("weight_decay_group").EnumerateObject().ToList();
        Assert.Equal(parameters.Count, groups.Count);
        foreach (var g in groups)
            Assert.True(g.Value.GetBoolean() == WeightDecay.IsDecayed(g.Name, parameters[g.Name].shape), $"decay group of {g.Name}");
    }

    [Fact]
    public void OneAdamWStepMatchesTheOfficialUpdate()
    {
        using var golden = Golden("golden_train_step.json");
        var root = golden.RootElement;
        using var model = GoldenTinyTcl.Load();
        model.train();
        var named = model.named_parameters().Select(p => (p.name, p.parameter)).ToList();
        var before = named.ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = new AdamW(named, new AdamWConfig());
        using (var scope = NewDisposeScope())
        {
            var step = model.TrainingStep(GoldenJson.Tensor(root.GetProperty("image")), GoldenJson.Tensor(root.GetProperty("tokens")).to(int64),
                new RecordedGumbelNoise(GoldenJson.Tensor(root.GetProperty("gumbel_uniform_U"))));
            step.Total.backward();
            double norm = GradientClipping.ClipByGlobalNorm(named.Select(p => p.parameter), 5.0);
            // As GoldenTrainStepTests: float32 gradients, the norm within 1e-6 + 1e-4·norm of the golden one.
            Near.Rel(root.GetProperty("grad_norm_before_clip").GetDouble(), norm, 1e-4, 1e-6, "global grad norm");
            optimizer.Step(7.5e-5);
        }

        var parameters = named.ToDictionary(p => p.name, p => p.parameter);
        var l2 = root.GetProperty("update_l2_per_param").EnumerateObject().ToList();
        Assert.Equal(l2.Select(e => e.Name).Order(), parameters.Where(p => p.Value.grad is not null).Select(p => p.Key).Order());
        foreach (var e in l2)
        {
            using var delta = parameters[e.Name].detach() - before[e.Name];
            double ours = delta.norm().item<float>();
            Assert.True(Math.Abs(ours - e.Value.GetDouble()) <= 1e-9 + 1e-3 * e.Value.GetDouble(), $"update norm {e.Name}: golden {e.Value.GetDouble():G9}, ours {ours:G9}");
        }
        foreach (var e in root.GetProperty("update_sum_per_param").EnumerateObject())
        {
            using var delta = parameters[e.Name].detach() - before[e.Name];
            double ours = delta.sum().item<float>(), scale = delta.abs().sum().item<float>();
            Assert.True(Math.Abs(ours - e.Value.GetDouble()) <= 1e-9 + 1e-3 * scale, $"update sum {e.Name}: golden {e.Value.GetDouble():G9}, ours {ours:G9}");
        }
        foreach (var e in root.GetProperty("scalar_values_after_step").EnumerateObject())
            Assert.True(Math.Abs(parameters[e.Name].item<float>() - e.Value.GetDouble()) <= 1e-6, $"{e.Name} after the step: golden {e.Value.GetDouble():G9}, ours {parameters[e.Name].item<float>():G9}");
        // Frozen parameters have no gradient: untouched, not even decayed.
        foreach (var (name, p) in parameters.Where(p => p.Value.grad is null))
            Assert.True(p.equal(before[name]).all().item<bool>(), $"{name} (frozen) changed");
        foreach (var t in before.Values) t.Dispose();
    }

    [Theory]
    [InlineData("golden_lr_schedule_world16.json", 1024)]
    [InlineData("golden_lr_schedule_world8.json", 512)]
    public void LrScheduleMatchesTheOfficialScheduler(string file, int globalBatch)
    {
        using var golden = Golden(file);
        var schedule = new LrSchedule(LrScheduleConfig.Official, globalBatch);
        var points = golden.RootElement.GetProperty("lr_at_step").EnumerateObject().ToList();
        Assert.NotEmpty(points);
        foreach (var p in points)
        {
            double expected = p.Value.GetDouble(), ours = schedule.At(long.Parse(p.Name));
            Assert.True(Math.Abs(ours - expected) <= 1e-10 * expected, $"lr at step {p.Name}: golden {expected:G12}, ours {ours:G12}");
        }
    }

    [Fact]
    public void LrScheduleHoldsTheMinimumPastTheEnd()
    {
        var schedule = new LrSchedule(LrScheduleConfig.Official, 1024);
        Near.Rel(1e-5, schedule.At(50_000), 1e-12);   // double arithmetic on the recipe's constants
        Near.Rel(1e-5, schedule.At(60_000), 1e-12);
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.At(-1));
    }
}
