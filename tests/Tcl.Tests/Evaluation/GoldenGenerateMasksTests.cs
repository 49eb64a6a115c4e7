using System.Text.Json;
using Tcl.Evaluation;
using Tcl.Tests.Grounding;
using Tcl.Tests.Support;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Tcl.Torch;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// The inference part of <c>spec/data/golden/golden_eval_forward.json</c> (official code, tiny model of
/// <c>tiny_tcl_state</c>, a 40×56 window padded by 4 on every side, 3 classes): similarity, soft mask, PAMR output,
/// upsampled kp mask, blend and the final masks of three PAMR × kp settings. A second, independent reference set
/// next to <c>inference.safetensors</c>. Tolerances as there: 1e-6, and 1e-5 downstream of PAMR's input resize.
/// </summary>
public sealed class GoldenGenerateMasksTests(ITestOutputHelper log) : IDisposable
{
    private readonly JsonDocument _golden = JsonDocument.Parse(File.ReadAllText(Fixtures.SpecData("golden/golden_eval_forward.json")));

    public void Dispose() => _golden.Dispose();

    private Tensor G(string name) => GoldenJson.Tensor(_golden.RootElement.GetProperty(name));

    private void Close(string key, Tensor actual, double atol)
    {
        var expected = G(key);
        log.WriteLine($"{key}: max |diff| {TensorAssert.MaxAbsDiff(expected, actual):E3}");
        TensorAssert.Close(expected, actual, atol, what: key);
    }

    [Fact]
    public void GenerateMasksMatchesTheGoldens()
    {
        using var model = GoldenTinyTcl.Load();
        model.eval();
        using var scope = NewDisposeScope();
        var image = G("image");
        var classes = G("class_text_embeddings");
        var pad = _golden.RootElement.GetProperty("pad_lrtb").EnumerateArray().Select(x => x.GetInt32()).ToArray();

        var full = new TclWindowScorer(model, EvaluationProtocol.Official).Generate(image, classes);
        Assert.Equal(new PatchPadding(pad[0], pad[1], pad[2], pad[3]), full.Padding);
        Close("similarity", full.Similarity, 1e-6);
        Close("soft_mask", full.SoftMask, 1e-6);
        Close("mask_after_pamr", full.PamrOutput!, 1e-5);
        var kpUp = F.interpolate(full.KpMask!, size: [full.SoftMask.shape[2], full.SoftMask.shape[3]], mode: InterpolationMode.Bilinear, align_corners: false);
        Close("kp_mask_upsampled", kpUp, 1e-6);
        using var scalars = new ScalarScope();
        Close("blended_mask", kpUp.mul(scalars.Of(0.3)).add(full.PamrOutput!.mul(scalars.Of(0.7)), Scalars.One), 1e-5);
        Close("final_masks_pamr_kp", full.Masks, 1e-5);
        Close("final_masks_nopamr_kp", new TclWindowScorer(model, false, 0.3).Score(image, classes), 1e-6);
        Close("final_masks_nopamr_nokp", new TclWindowScorer(model, false, 0.0).Score(image, classes), 1e-6);
    }
}
