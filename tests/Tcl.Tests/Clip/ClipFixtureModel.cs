using Tcl.Clip;
using Tcl.Clip.Weights;
using Tcl.Tests.Support;

namespace Tcl.Tests.Clip;

/// <summary>
/// The fixture's tiny CLIP, loaded the way a user loads real weights: <see cref="ClipWeights.LoadModel"/> on
/// <c>clip_weights.safetensors</c> (architecture inferred from the tensors; heads from <c>clip_weights.json</c>,
/// since they are not width/64 and no checkpoint stores them).
/// </summary>
public static class ClipFixtureModel
{
    public static ClipModel Load()
    {
        var dims = WeightFixtures.SharedClip().Dims;
        var model = ClipWeights.LoadModel(Fixtures.Path("clip_weights.safetensors"), out var report, dims["vision_heads"], dims["transformer_heads"]);
        if (report.TensorsLoaded != model.state_dict().Count)
            throw new InvalidOperationException($"Loaded {report.TensorsLoaded} of {model.state_dict().Count} tensors.");
        return model;
    }
}
