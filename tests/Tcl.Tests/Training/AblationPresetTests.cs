using Tcl.Grounding;
using Tcl.Tests.Support;
using Tcl.Training;
using Xunit;
using static TorchSharp.torch;

namespace Tcl.Tests.Training;

/// <summary>The ablation rows A–H: each is a named config value whose switches give exactly the poster's loss columns, and each trains.</summary>
public class AblationPresetTests
{
    [Theory]
    [InlineData("A", false, "cl_loss tv_img_loss tv_mask_loss")]
    [InlineData("B", true, "cl_loss tv_img_loss tv_mask_loss")]
    [InlineData("C", true, "area_loss neg_area_loss tcli_loss tclf_loss tv_img_loss tv_mask_loss")]
    [InlineData("D", true, "cl_loss tv_img_loss tv_mask_loss")]
    [InlineData("E", true, "area_loss neg_area_loss tcli_loss tv_img_loss tv_mask_loss")]
    [InlineData("F", true, "area_loss neg_area_loss tclf_loss tv_img_loss tv_mask_loss")]
    [InlineData("G", true, "area_loss cl_loss neg_area_loss tcli_loss tclf_loss tv_img_loss tv_mask_loss")]
    [InlineData("H", true, "tcli_loss tclf_loss tv_img_loss tv_mask_loss")]
    public void PresetSetsThePosterColumnsAndTrains(string row, bool decoder, string terms)
    {
        var preset = AblationPresets.Get(row.ToLowerInvariant());
        Assert.Equal(decoder, preset.Grounder.UseDecoder);
        using var model = new TclModel(TinyModels.Clip, preset.Grounder, preset.Losses);
        model.train();
        using var data = new RandomBatches(3, 32, seed: 2);
        using var batch = data.Next();
        using var scope = NewDisposeScope();
        var step = model.TrainingStep(batch.Images, batch.Tokens, new GeneratorGumbelNoise(new Generator(0)));
        Assert.Equal(terms.Split(' ').Order(), step.Terms.Keys.Order());
        step.Total.backward();
        Assert.NotNull(model.masker.sim2mask.w.grad);
        // Row A has no decoder: masks at patch resolution (32 / 8 = 4).
        Assert.Equal(decoder ? 16 : 4, step.Masks.SoftAll.shape[^1]);
    }

    [Fact]
    public void ConfigAblationSuppliesLossesAndGrounder()
    {
        var config = new TclTrainConfig { Ablation = "a" }.Resolve();
        Assert.Equal("A", config.Ablation);
        Assert.False(config.Grounder.UseDecoder);
        Assert.Equal(AblationPresets.ContrastiveWeight, config.Losses.Contrastive);
        Assert.Equal(0, config.Losses.ImageTcl);
        var e = Assert.Throws<ArgumentException>(() => AblationPresets.Get("Z"));
        Assert.Contains("A, B, C, D, E, F, G, H", e.Message);
    }
}
