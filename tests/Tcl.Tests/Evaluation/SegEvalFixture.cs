using System.Text.Json;
using Tcl.Evaluation;
using Tcl.Tests.Support;
using static TorchSharp.torch;

namespace Tcl.Tests.Evaluation;

/// <summary>
/// <c>seg_eval.safetensors</c> + <c>seg_eval.json</c>: the official <c>TCLSegInference</c> (mmseg 0.2x
/// EncoderDecoder) on one 48×80 image (original 60×100), 5 classes, cases whole / whole_bg / slide (crop 32,
/// stride 24) / slide_bg / whole_bg_flip.
/// </summary>
internal sealed class SegEvalFixture : IDisposable
{
    public SegEvalFixture()
    {
        Tensors = TorchSharp.PyBridge.Safetensors.LoadStateDict(Fixtures.Path("seg_eval.safetensors"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("seg_eval.json")));
        var root = doc.RootElement;
        ClassNames = root.GetProperty("classnames").EnumerateArray().Select(e => e.GetString()!).ToList();
        TemplateSet = root.GetProperty("template_set").GetString()!;
        var ori = root.GetProperty("img_meta").GetProperty("ori_shape");
        OriginalHeight = ori[0].GetInt32();
        OriginalWidth = ori[1].GetInt32();
        var cfg = root.GetProperty("evaluate_cfg");
        BackgroundThreshold = cfg.GetProperty("bg_thresh").GetDouble();
        foreach (var c in root.GetProperty("cases").EnumerateObject())
        {
            var testCfg = c.Value.GetProperty("test_cfg");
            bool slide = testCfg.GetProperty("mode").GetString() == "slide";
            Cases[c.Name] = new Case(
                c.Name, slide,
                slide ? testCfg.GetProperty("crop_size")[0].GetInt32() : 0,
                slide ? testCfg.GetProperty("stride")[0].GetInt32() : 0,
                c.Value.GetProperty("with_bg").GetBoolean(),
                c.Value.GetProperty("flip").GetBoolean(),
                c.Value.GetProperty("windows_yyxx").EnumerateArray()
                    .Select(w => new WindowBox(w[0].GetInt32(), w[1].GetInt32(), w[2].GetInt32(), w[3].GetInt32())).ToList());
        }
    }

    public sealed record Case(string Name, bool Slide, int Crop, int Stride, bool WithBackground, bool Flip, IReadOnlyList<WindowBox> Windows);

    public Dictionary<string, Tensor> Tensors { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public string TemplateSet { get; }
    public int OriginalHeight { get; }
    public int OriginalWidth { get; }
    public double BackgroundThreshold { get; }
    public Dictionary<string, Case> Cases { get; } = [];

    public Tensor Image => Tensors["image"];

    /// <summary>The protocol of a case: the official one with the fixture's crop/stride and background threshold.</summary>
    public EvaluationProtocol Protocol(Case c) => c.Slide
        ? EvaluationProtocol.Official with { CropSize = c.Crop, Stride = c.Stride, BackgroundThreshold = BackgroundThreshold }
        : EvaluationProtocol.Official with { BackgroundThreshold = BackgroundThreshold };

    /// <summary>The recorded generate_masks output of each window of a case ([1, K, h, w], background channel dropped).</summary>
    public IReadOnlyList<Tensor> WindowScores(Case c)
    {
        string source = c.Name.StartsWith("slide", StringComparison.Ordinal) ? "slide_bg" : "whole_bg";
        return Enumerable.Range(0, c.Windows.Count).Select(i => Tensors[$"{source}.window{i}.logits"].narrow(1, 1, ClassNames.Count)).ToList();
    }

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
