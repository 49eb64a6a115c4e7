using static TorchSharp.torch;

namespace Tcl.Clip.Weights;

/// <summary>
/// CLIP weights read from a file, with the architecture they describe. Owns its tensors: dispose it once the
/// weights have been copied into a model (<see cref="StateDictLoading.Load(nn.Module, ClipCheckpoint, WeightSelection?)"/>).
/// </summary>
/// <param name="Path">The file read.</param>
/// <param name="Format">Its detected format.</param>
/// <param name="Config">The architecture inferred from the weights (heads as given or width / 64).</param>
/// <param name="StateDict">OpenAI-named float32 CPU tensors.</param>
/// <param name="ParameterCount">Total number of scalar weights (summed element counts).</param>
public sealed record ClipCheckpoint(string Path, WeightFormat Format, ClipConfig Config,
    IReadOnlyDictionary<string, Tensor> StateDict, long ParameterCount) : IDisposable
{
    /// <summary>Where <see cref="ClipConfig.Vision"/>'s head count came from.</summary>
    public HeadsSource VisionHeadsSource { get; init; } = HeadsSource.Given;

    /// <summary>Where <see cref="ClipConfig.Text"/>'s head count came from.</summary>
    public HeadsSource TextHeadsSource { get; init; } = HeadsSource.Given;

    /// <summary>Scalar weights of the image tower (every <c>visual.*</c> tensor, <c>visual.proj</c> included).</summary>
    public long VisionParameterCount => Count(IsVision);

    /// <summary>Scalar weights of the text tower (token and positional embeddings, blocks, <c>ln_final</c>,
    /// <c>text_projection</c>).</summary>
    public long TextParameterCount => Count(key => !IsVision(key) && !IsShared(key));

    /// <summary>Scalar weights shared by both towers: <c>logit_scale</c>.</summary>
    public long SharedParameterCount => Count(IsShared);

    /// <summary>Disposes every tensor of <see cref="StateDict"/>.</summary>
    public void Dispose()
    {
        foreach (var tensor in StateDict.Values) tensor.Dispose();
    }

    private static bool IsVision(string key) => key.StartsWith("visual.", StringComparison.Ordinal);

    private static bool IsShared(string key) => key == "logit_scale";

    private long Count(Func<string, bool> predicate) =>
        StateDict.Where(kv => predicate(kv.Key)).Sum(kv => kv.Value.numel());
}
