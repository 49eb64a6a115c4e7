using System.Text.Json;
using Tcl.Grounding;
using Tcl.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Grounding;

/// <summary>
/// <c>spec/data/golden/golden_train_step.json</c>: one official <c>TCL.forward</c> + backward on the 12-layer tiny
/// model (injected Gumbel noise): similarity, soft and hard masks, the six weighted terms, the total, the pre-clip
/// global grad norm, every parameter's grad L2 norm and sum, and the exact scalar gradients.
/// </summary>
public sealed class GoldenTrainStepTests : IDisposable
{
    private readonly JsonDocument _golden = JsonDocument.Parse(File.ReadAllText(Fixtures.SpecData("golden/golden_train_step.json")));

    public void Dispose() => _golden.Dispose();

    private JsonElement Root => _golden.RootElement;
    private Tensor G(string name) => GoldenJson.Tensor(Root.GetProperty(name));

    [Fact]
    public void ForwardAndGradientsMatch()
    {
        using var model = GoldenTinyTcl.Load();
        model.train();
        using var scope = NewDisposeScope();
        var step = model.TrainingStep(G("image"), G("tokens").to(int64), new RecordedGumbelNoise(G("gumbel_uniform_U")));
        TensorAssert.Close(G("similarity"), step.Masks.Similarity, 1e-6, what: "similarity");
        TensorAssert.Close(G("soft_masks"), step.Masks.SoftAll, 1e-6, what: "soft masks");
        TensorAssert.Close(G("hard_masks"), step.Masks.HardAll!, 1e-6, what: "hard masks");
        foreach (var term in Root.GetProperty("losses").EnumerateObject())
            Assert.True(Math.Abs(term.Value.GetDouble() - step.Terms[term.Name].item<float>()) <= 1e-6 + 1e-5 * Math.Abs(term.Value.GetDouble()),
                $"{term.Name}: golden {term.Value.GetDouble():G9}, ours {step.Terms[term.Name].item<float>():G9}");
        // The sum of the terms above, each held to 1e-6 + 1e-5·|term|: the same rule for the total.
        Near.Rel(Root.GetProperty("total_loss").GetDouble(), step.Total.item<float>(), 1e-5, 1e-6, "total loss");

        step.Total.backward();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var g in Root.GetProperty("grad_l2_per_param").EnumerateObject())
        {
            double ours = parameters[g.Name].grad!.norm().item<float>();
            Assert.True(Math.Abs(ours - g.Value.GetDouble()) <= 1e-6 + 1e-4 * g.Value.GetDouble(), $"grad norm {g.Name}: golden {g.Value.GetDouble():G9}, ours {ours:G9}");
        }
        foreach (var g in Root.GetProperty("grad_sum_per_param").EnumerateObject())
        {
            var grad = parameters[g.Name].grad!;
            double ours = grad.sum().item<float>(), scale = grad.abs().sum().item<float>();
            // Sums of mixed-sign gradients cancel: compare relative to the sum of magnitudes.
            Assert.True(Math.Abs(ours - g.Value.GetDouble()) <= 1e-7 + 1e-5 * scale, $"grad sum {g.Name}: golden {g.Value.GetDouble():G9}, ours {ours:G9}");
        }
        foreach (var g in Root.GetProperty("scalar_grads").EnumerateObject())
            Assert.True(Math.Abs(parameters[g.Name].grad!.item<float>() - g.Value.GetDouble()) <= 1e-6 + 1e-4 * Math.Abs(g.Value.GetDouble()),
                $"scalar grad {g.Name}: golden {g.Value.GetDouble():G9}, ours {parameters[g.Name].grad!.item<float>():G9}");
        var withGrad = parameters.Values.Where(p => p.grad is not null).Select(p => p.grad!.norm()).ToArray();
        // The norm of the per-parameter norms above, each held to 1e-6 + 1e-4·norm: the same rule for the global norm.
        Near.Rel(Root.GetProperty("grad_norm_before_clip").GetDouble(), stack(withGrad).norm().item<float>(), 1e-4, 1e-6, "global grad norm");
    }
}
