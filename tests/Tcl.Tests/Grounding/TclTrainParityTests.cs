using Tcl.Grounding;
using Tcl.Tests.Support;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Tcl.Tests.Grounding;

/// <summary>
/// One TCL training step against the official code (<c>tcl_train</c> with recorded Gumbel noise and
/// <c>tcl_train_zero_noise</c>): every mask, the dense embedding, every weighted loss term, the total, the gradients of
/// all trainable parameters (full tensors where the fixture stores them, L2 norms for all) and the global grad norm.
/// Shapes come from the files. The recorded-noise step runs both with and without the recomputed image-level TCL pass.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class TclTrainParityTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("tcl_train", false)]
    [InlineData("tcl_train", true)]
    [InlineData("tcl_train_zero_noise", false)]
    public void TrainingStepMatchesTheOfficialCode(string fixture, bool recomputeMaskedImagePass)
    {
        using var model = TclFixtureModel.Load();
        model.RecomputeMaskedImagePass = recomputeMaskedImagePass; // both ways of differentiating image-level TCL
        model.train();
        var reference = TorchSharp.PyBridge.Safetensors.LoadStateDict(Fixtures.Path($"{fixture}.safetensors"));
        // The zero-noise set reuses tcl_train's inputs (manifest: "image/text_tokens are those of tcl_train").
        var inputs = reference.ContainsKey("image") ? reference : TorchSharp.PyBridge.Safetensors.LoadStateDict(Fixtures.Path("tcl_train.safetensors"));
        using var scope = NewDisposeScope();

        var step = model.TrainingStep(inputs["image"], inputs["text_tokens"], new RecordedGumbelNoise(reference["gumbel_uniform"]));
        var m = step.Masks;
        TensorAssert.Close(reference["s1_text_emb"], step.TextEmbedding, 1e-5, what: "text embedding");
        TensorAssert.Close(reference["masker_feat0"], m.BackboneTokens.transpose(0, 1), 1e-5, 1e-5, "grounder block output");
        TensorAssert.Close(reference["s1_image_emb"], m.Embedding, 1e-5, 1e-5, "dense embedding E");
        TensorAssert.Close(reference["simmap"], m.Similarity, 1e-6, what: "similarity");
        TensorAssert.Close(reference["masks.soft_all"], m.SoftAll, 1e-6, what: "soft_all");
        TensorAssert.Close(reference["masks.soft_pos"], m.SoftPositive, 1e-6, what: "soft_pos");
        TensorAssert.Close(reference["masks.soft_neg"], m.SoftNegative, 1e-6, what: "soft_neg");
        TensorAssert.Close(reference["sim2mask.hard"], m.HardAll!, 1e-6, what: "hard masks");
        TensorAssert.Close(reference["masks.pos"], m.Positive!, 1e-6, what: "pos");
        TensorAssert.Close(reference["tcli.masked_img_emb"], step.MaskedImageEmbedding!, 1e-5, 1e-5, "masked image embedding");

        var terms = reference.Keys.Where(k => k.StartsWith("loss.")).Select(k => k["loss.".Length..]).ToList();
        Assert.Equal(terms.Order(), step.Terms.Keys.Order());
        foreach (var term in terms)
        {
            log.WriteLine($"{term}: official {reference["loss." + term].item<float>():G9} ours {step.Terms[term].item<float>():G9}");
            TensorAssert.Close(reference["loss." + term], step.Terms[term], 1e-6, 1e-5, term);
        }
        TensorAssert.Close(reference["total_loss"], step.Total, 1e-6, 1e-5, "total loss");

        step.Total.backward();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var withGrad = TclFixtureModel.ParamsWithGrad(fixture);
        Assert.Equal(withGrad.Order(), parameters.Where(p => p.Value.grad is not null).Select(p => p.Key).Order());
        var norms = reference["grad_norms"];
        Assert.Equal(withGrad.Count, (int)norms.shape[0]);
        for (int i = 0; i < withGrad.Count; i++)
        {
            var grad = parameters[withGrad[i]].grad!;
            TensorAssert.Close(norms[i], grad.norm(), 1e-6, 1e-4, $"grad norm {withGrad[i]}");
            if (reference.TryGetValue("grad." + withGrad[i], out var full))
                TensorAssert.Close(full, grad, 1e-6, 1e-4, $"grad {withGrad[i]}");
        }
        var total = stack(withGrad.Select(n => parameters[n].grad!.norm()).ToArray()).norm();
        TensorAssert.Close(reference["grad_norm_total"], total, 1e-6, 1e-5, "global grad norm");
    }
}
