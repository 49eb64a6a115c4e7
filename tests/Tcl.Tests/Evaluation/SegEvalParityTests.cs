using Tcl.Evaluation;
using Tcl.Tests.Grounding;
using Tcl.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// End-to-end parity of the official evaluation on the fixture's tiny TCL: <c>TclWindowScorer</c> (PAMR, kp 0.3)
/// per window against the recorded <c>generate_masks</c> outputs, then the segmenter's probabilities and labels.
/// Tolerances: scores and probabilities 1e-5 (a full grounder + PAMR forward), labels exact.
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class SegEvalParityTests : IDisposable
{
    private const double Atol = 1e-5;
    private readonly SegEvalFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    [Fact]
    public void WindowScoresMatchGenerateMasks()
    {
        using var model = TclFixtureModel.Load();
        model.eval();
        var scorer = new TclWindowScorer(model, pamr: true, kpWeight: 0.3);
        using var _ = no_grad();
        foreach (var name in new[] { "whole_bg", "slide_bg" })
        {
            var c = _fx.Cases[name];
            var expected = _fx.WindowScores(c);
            for (int i = 0; i < c.Windows.Count; i++)
            {
                using var scope = NewDisposeScope();
                var b = c.Windows[i];
                var crop = _fx.Image.narrow(2, b.Y1, b.Height).narrow(3, b.X1, b.Width);
                TensorAssert.Close(expected[i], scorer.Score(crop, _fx.Tensors["text_embedding"]), Atol, what: $"{name}.window{i}");
            }
        }
    }

    [Fact]
    public void SegmentationMatches()
    {
        using var model = TclFixtureModel.Load();
        model.eval();
        var scorer = new TclWindowScorer(model, pamr: true, kpWeight: 0.3);
        foreach (var name in new[] { "whole", "whole_bg", "slide", "slide_bg" })
        {
            var c = _fx.Cases[name];
            var segmenter = new SlidingWindowSegmenter(scorer, _fx.Protocol(c), c.Slide ? InferenceMode.Slide : InferenceMode.Whole);
            using var result = segmenter.Segment(_fx.Image, _fx.Tensors["text_embedding"], c.WithBackground,
                                                 _fx.OriginalHeight, _fx.OriginalWidth, keepProbabilities: true);
            TensorAssert.Close(_fx.Tensors[$"{name}.probs"], result.Probabilities!, Atol, what: $"{name}.probs");
            using var expected = _fx.Tensors[$"{name}.pred"].squeeze(0);
            Assert.True(BitwiseTensors.Identical(expected, result.Labels), $"{name}.pred differs in {(expected != result.Labels).sum().item<long>()} pixels");
        }
    }
}
