using Tcl.Evaluation;
using Tcl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// Replays the official <c>generate_masks</c> outputs that <c>seg_eval.safetensors</c> records per window
/// (<c>*_bg.window{i}.logits</c>, channels 1.. — the no-background wrapper's outputs, as the fixture README
/// asserts), so the segmenter's windowing, averaging, background, resize and argmax are checked against mmseg
/// independently of the window scorer. Each requested window is identified by comparing its pixels with the crops
/// of the fixture image; a crop that matches none fails the test. Records every call's batch size.
/// </summary>
internal sealed class FixtureWindowScorer : IWindowScorer
{
    private readonly List<(Tensor Crop, Tensor Scores)> _windows = [];

    /// <param name="image">The fixture image <c>[1, 3, H, W]</c>.</param>
    /// <param name="windows">Window boxes (y1, y2, x1, x2) in call order.</param>
    /// <param name="scores">Per-window scores <c>[1, K, h, w]</c> in the same order.</param>
    public FixtureWindowScorer(Tensor image, IReadOnlyList<WindowBox> windows, IReadOnlyList<Tensor> scores)
    {
        for (int i = 0; i < windows.Count; i++)
        {
            var b = windows[i];
            _windows.Add((image.narrow(2, b.Y1, b.Height).narrow(3, b.X1, b.Width), scores[i]));
        }
    }

    public string Name => "fixture-replay";

    /// <summary>Batch size of every <see cref="Score"/> call, in order.</summary>
    public List<long> CallBatchSizes { get; } = [];

    public Tensor Score(Tensor windows, Tensor classEmbeddings)
    {
        CallBatchSizes.Add(windows.shape[0]);
        var outputs = new List<Tensor>();
        for (long b = 0; b < windows.shape[0]; b++)
        {
            using var crop = windows[b].unsqueeze(0);
            var match = _windows.FindIndex(w => w.Crop.shape.SequenceEqual(crop.shape) && BitwiseTensors.Identical(w.Crop, crop));
            if (match < 0) throw new InvalidOperationException($"Window {b} of the call matches no crop of the fixture image.");
            outputs.Add(_windows[match].Scores);
        }
        return cat(outputs, 0);                                                            // [B, K, h, w]
    }
}
