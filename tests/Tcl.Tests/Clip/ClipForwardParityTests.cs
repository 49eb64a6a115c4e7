using Tcl.Clip;
using Tcl.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Clip;

/// <summary>
/// The CLIP towers against <c>clip_forward.safetensors</c>, produced by the official TCL/sclip code on the tiny
/// fixture model. Every shape comes from the files. Tolerance: 1e-5 absolute for features (the fixture README's
/// run-to-run comparison is bit-exact; 1e-5 leaves room for a different BLAS summation order).
/// </summary>
[Trait(Fixtures.TraitName, Fixtures.TraitValue)]
public sealed class ClipForwardParityTests : IDisposable
{
    private const double FeatureAtol = 1e-5;
    private readonly ClipModel _model = ClipFixtureModel.Load();
    private readonly Dictionary<string, Tensor> _ref = TorchSharp.PyBridge.Safetensors.LoadStateDict(Fixtures.Path("clip_forward.safetensors"));

    public void Dispose()
    {
        _model.Dispose();
        foreach (var t in _ref.Values) t.Dispose();
    }

    private Tensor Image => _ref["image"];

    /// <summary>Index of the block whose output the fixture calls feat0 (the grounder's input: block layers−2).</summary>
    private int TapBlock => _model.Config.Vision.Layers - 2;

    [Fact]
    public void GlobalImageEmbeddingMatches()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var emb = _model.EncodeImage(Image);
        TensorAssert.Close(_ref["clip_image_emb"], emb, FeatureAtol, what: "clip_image_emb");
        TensorAssert.Close(_ref["sclip.encode_image"], emb, FeatureAtol, what: "sclip.encode_image");
    }

    [Fact]
    public void SelfOnlyLastBlockDenseFeaturesAndTapMatch()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var v = _model.visual;
        var outp = v.EncodeTokens(Image, new VisionEncodeOptions(SelfOnlyLastBlock: true, TapBlock: TapBlock));
        var dense = VisionTransformer.ToFeatureMap(outp.Tokens, outp.GridHeight, outp.GridWidth);
        TensorAssert.Close(_ref["tcl_forward.x"], dense, FeatureAtol, what: "tcl_forward.x");
        TensorAssert.Close(_ref["tcl_forward.x_proj"], v.ProjectFeatureMap(dense), FeatureAtol, what: "tcl_forward.x_proj");
        // The fixture's block outputs are sequence-first (LND); ours are batch-first.
        TensorAssert.Close(_ref["tcl_forward.feat0"], outp.Tapped!.transpose(0, 1), FeatureAtol, what: "tcl_forward.feat0");
        TensorAssert.Close(_ref["tcl_forward.feat1"], outp.Tokens.transpose(0, 1), FeatureAtol, what: "tcl_forward.feat1");
    }

    [Fact]
    public void StandardLastBlockDenseFeaturesMatch()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var outp = _model.visual.EncodeTokens(Image, new VisionEncodeOptions(TapBlock: TapBlock));
        TensorAssert.Close(_ref["noignore.x"], VisionTransformer.ToFeatureMap(outp.Tokens, outp.GridHeight, outp.GridWidth), FeatureAtol, what: "noignore.x");
        TensorAssert.Close(_ref["noignore.feat0"], outp.Tapped!.transpose(0, 1), FeatureAtol, what: "noignore.feat0");
        TensorAssert.Close(_ref["noignore.feat1"], outp.Tokens.transpose(0, 1), FeatureAtol, what: "noignore.feat1");
    }

    [Fact]
    public void EarlyStopAtTapGivesTheTappedBlock()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var outp = _model.visual.EncodeTokens(Image, new VisionEncodeOptions(TapBlock: TapBlock, StopAfterTap: true));
        Assert.Same(outp.Tapped, outp.Tokens);
        TensorAssert.Close(_ref["tcl_forward.feat0"], outp.Tokens.transpose(0, 1), FeatureAtol, what: "feat0 (early stop)");
    }

    [Fact]
    public void TextEmbeddingMatches()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var emb = _model.EncodeText(_ref["text_tokens"]);
        TensorAssert.Close(_ref["text_emb"], emb, FeatureAtol, what: "text_emb");
        TensorAssert.Close(_ref["sclip.encode_text"], emb, FeatureAtol, what: "sclip.encode_text");
    }

    [Fact]
    public void TextTowerTrimmedToLongestPromptEqualsFullLength()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var tokens = _ref["text_tokens"];
        var full = _model.Text.Encode(tokens, trimToLongest: false);
        // Short prompts only, so trimming really shortens the sequence.
        var eot = tokens.argmax(-1);
        var shortRows = nonzero(eot < eot.max()).flatten();
        var shortTokens = tokens.index_select(0, shortRows);
        var trimmed = _model.Text.Encode(shortTokens, trimToLongest: true);
        TensorAssert.Close(full.index_select(0, shortRows), trimmed, 1e-6, what: "trimmed text embedding");
    }

    [Fact]
    public void LogitsPerImageMatch()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var logits = _model.forward(Image, _ref["text_tokens"]);
        // Logits are exp(logit_scale) (≈14 here) times a cosine: scale the feature tolerance with them.
        double scale = Math.Max(1.0, _model.logit_scale.exp().item<float>());
        TensorAssert.Close(_ref["sclip.logits_per_image"], logits, FeatureAtol * scale, what: "logits_per_image");
    }
}
