using Tcl.Clip;

namespace Tcl.Tests.Support;

/// <summary>Randomly initialised models small enough for thousands of training steps in a test.</summary>
public static class TinyModels
{
    /// <summary>2-layer ViT (32² images, patch 8 → 4×4 grid, 16² masks with the decoder), 1-layer text tower.</summary>
    public static ClipConfig Clip { get; } = new(16, new VisionConfig(32, 8, 32, 2, 2), new TextConfig(77, 49408, 16, 1, 2));
}
