using Tcl.Data.Synthetic;
using Tcl.Grounding;
using Tcl.Notebooks;
using Tcl.Torch;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Notebooks;

/// <summary>The batch notebook 2 assembles from test scenes: captions, normalised pixels, token ids, masks per image.</summary>
public sealed class CaptionBatchTests
{
    [Fact]
    public void TestScenesBecomeOneBatchOfPixelsAndTokens()
    {
        var world = SyntheticWorldConfig.Default;
        var batch = CaptionBatch.Test(world, 3);
        Assert.Equal(3, batch.Captions.Count);
        Assert.Equal(CaptionWriter.Write(new SyntheticGenerator(world).Generate(1, SyntheticSplit.Test), world.Captions), batch.Captions[1]);
        using var scope = NewDisposeScope();
        var pixels = batch.Pixels();
        Assert.Equal([3L, 3, world.ImageSize, world.ImageSize], pixels.shape);
        Assert.Equal(ScalarType.Float32, pixels.dtype);
        Assert.Equal([3L, 77], batch.Tokens().shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => CaptionBatch.Test(world, 0));
    }

    [Fact]
    public void PositiveMasksAreOneRowMajorArrayPerImage()
    {
        using var scope = NewDisposeScope();
        var soft = Scalars.Arange(2 * 1 * 2 * 3).to_type(ScalarType.Float32).reshape(2, 1, 2, 3);
        var none = zeros(1);
        var step = new TclStepOutput(new GroundingMasks(none, none, none, null, null, soft, none, none), none, null,
            new Dictionary<string, Tensor> { ["area_loss"] = tensor(0.25f) }, none);
        var masks = CaptionBatch.PositiveMasks(step);
        Assert.Equal(2, masks.Count);
        Assert.Equal([6f, 7, 8, 9, 10, 11], masks[1]);
        Assert.Equal("–", CaptionBatch.Shapes(step)["shape"][3]);                    // no hard masks without noise
        Assert.Equal("0.25", CaptionBatch.Terms(step)["weighted value"][0]);
    }
}
