using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tcl.Clip;

/// <summary>
/// A stack of <see cref="ResidualAttentionBlock"/>s (field <c>resblocks</c>, keys <c>transformer.resblocks.{i}.*</c>).
/// Can apply the self-only pattern to its last block, tap the output of any block, and stop early after the tap.
/// </summary>
public sealed class ClipTransformer : nn.Module<Tensor, Tensor>
{
    public ModuleList<ResidualAttentionBlock> resblocks;

    private readonly AttentionMode _mode;

    /// <param name="width">Token width.</param>
    /// <param name="layers">Number of blocks.</param>
    /// <param name="heads">Attention heads per block.</param>
    /// <param name="mode">Attention pattern of every block (full for images, causal for text).</param>
    public ClipTransformer(int width, int layers, int heads, AttentionMode mode) : base("transformer")
    {
        _mode = mode;
        resblocks = new ModuleList<ResidualAttentionBlock>();
        for (int i = 0; i < layers; i++) resblocks.Add(new ResidualAttentionBlock(width, heads));
        RegisterComponents();
    }

    /// <summary>Number of blocks.</summary>
    public int Layers => resblocks.Count;

    /// <summary>Runs every block with the tower's attention pattern. <c>[B, L, width] → [B, L, width]</c>.</summary>
    public override Tensor forward(Tensor x) => Run(x, selfOnlyLastBlock: false, tapBlock: null, out _);

    /// <summary>Runs the blocks with the options TCL needs.</summary>
    /// <param name="x">Tokens <c>[B, L, width]</c>.</param>
    /// <param name="selfOnlyLastBlock">MaskCLIP-style: the last block attends each token only to itself (official
    /// <c>ignore_last_attn</c> in <c>sclip/model.py</c>).</param>
    /// <param name="tapBlock">Index of a block whose output is returned in <paramref name="tapped"/> (e.g. layers−2 for TCL's grounder input).</param>
    /// <param name="tapped">Output of block <paramref name="tapBlock"/>, <c>[B, L, width]</c>, or null.</param>
    /// <param name="stopAfterTap">Skip the blocks after the tap (then the return value equals <paramref name="tapped"/>).</param>
    /// <returns>Output of the last block run, <c>[B, L, width]</c>.</returns>
    public Tensor Run(Tensor x, bool selfOnlyLastBlock, int? tapBlock, out Tensor? tapped, bool stopAfterTap = false)
    {
        if (tapBlock is int t && (t < 0 || t >= resblocks.Count))
            throw new ArgumentOutOfRangeException(nameof(tapBlock), t, $"The transformer has blocks 0..{resblocks.Count - 1}.");
        tapped = null;
        // Each block's output is released as soon as the next block has consumed it (only the result and the tap
        // leave this scope); a graph that needs one keeps its own reference.
        using var scope = NewDisposeScope();
        for (int i = 0; i < resblocks.Count; i++)
        {
            var mode = selfOnlyLastBlock && i == resblocks.Count - 1 ? AttentionMode.SelfOnly : _mode;
            x = resblocks[i].forward(x, mode);
            if (i == tapBlock)
            {
                tapped = x;
                if (stopAfterTap) break;
            }
        }
        if (tapped is not null && !ReferenceEquals(tapped, x)) scope.MoveToOuter(tapped);
        return scope.MoveToOuter(x);
    }
}
