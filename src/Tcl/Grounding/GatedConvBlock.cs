using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Tcl.Torch;

namespace Tcl.Grounding;

/// <summary>A learnable scalar gate <c>tanh(gate)</c>, initialised to 0 so its branch starts switched off.</summary>
public sealed class Gate : nn.Module<Tensor, Tensor>
{
    public Parameter gate;

    public Gate() : base("gate")
    {
        gate = new Parameter(zeros(new long[0]));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x * gate.tanh();
}

/// <summary>
/// One pre-activation unit of the grounding decoder (official <c>ConvBlock</c>): channel LayerNorm at every pixel
/// → GELU (exact erf form) → k×k convolution (zero padding, bias) → × tanh(gate). Keys <c>norm.*</c>,
/// <c>conv.*</c>, <c>gate.gate</c>. <c>[B, C, H, W] → [B, C, H, W]</c>.
/// </summary>
public sealed class GatedConvBlock : nn.Module<Tensor, Tensor>
{
    public LayerNorm norm;
    public Conv2d conv;
    public Gate gate;

    public GatedConvBlock(int channels, int kernelSize) : base("conv")
    {
        norm = nn.LayerNorm(channels, eps: 1e-5);
        conv = nn.Conv2d(channels, channels, kernelSize, stride: 1, padding: kernelSize / 2, bias: true);
        gate = new Gate();
        RegisterComponents();
    }

    private WinogradConv3x3? _winograd;

    /// <summary>
    /// Winograd tile for the convolution under <c>no_grad</c> (null: always <c>conv2d</c>). Only 3×3 kernels;
    /// with grad enabled (training) the block always uses <c>conv2d</c>. See <see cref="GatedDecoder.FastInference"/>.
    /// </summary>
    public WinogradTile? FastInference
    {
        get => _winograd?.Tile;
        set
        {
            if (value == _winograd?.Tile) return;
            _winograd?.Dispose();
            _winograd = value is { } tile ? new WinogradConv3x3(conv, tile) : null;
        }
    }

    /// <summary>Drops the Winograd path's cached transformed weights (they are also re-derived when the weights change).</summary>
    public void ResetFastCache() => _winograd?.ResetCache();

    public override Tensor forward(Tensor x) => WrappedTensorDisposeScope(() =>
    {
        var normed = norm.forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2); // LayerNorm2d over C
        var act = F.gelu(normed);
        var y = _winograd is not null && !is_grad_enabled() ? _winograd.Forward(act) : conv.forward(act);
        return gate.forward(y);
    });

    protected override void Dispose(bool disposing)
    {
        if (disposing) _winograd?.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// One up-sampling stage (official <c>ResConv</c> with <c>double: true</c>): nearest ×2, then two gated residual
/// units. <c>[B, C, H, W] → [B, C, 2H, 2W]</c>. With both gates at 0 it is exactly nearest up-sampling.
/// </summary>
public sealed class GatedResConv : nn.Module<Tensor, Tensor>
{
    public GatedConvBlock conv;
    public GatedConvBlock conv2;

    public GatedResConv(int channels, int kernelSize) : base("GatedResConv")
    {
        conv = new GatedConvBlock(channels, kernelSize);
        conv2 = new GatedConvBlock(channels, kernelSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => WrappedTensorDisposeScope(() =>
    {
        var up = F.interpolate(x, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest);
        var y = up.add(conv.forward(up), Scalars.One);
        return y.add(conv2.forward(y), Scalars.One);
    });
}

/// <summary>The gated decoder (official <c>GDecoder</c>): stages in <c>net.{i}</c>. <c>[B, C, h, w] → [B, C, 2^n·h, 2^n·w]</c>.</summary>
public sealed class GatedDecoder : nn.Module<Tensor, Tensor>
{
    public ModuleList<GatedResConv> net;

    public GatedDecoder(int channels, int stages, int kernelSize) : base("decoder")
    {
        net = new ModuleList<GatedResConv>();
        for (int i = 0; i < stages; i++) net.Add(new GatedResConv(channels, kernelSize));
        RegisterComponents();
        _kernelSize = kernelSize;
        FastInference = DefaultFastInference;
    }

    /// <summary>The tile new decoders use for <see cref="FastInference"/>: F4 (see there for why).</summary>
    public const WinogradTile DefaultFastInference = WinogradTile.F4;

    private readonly int _kernelSize;

    private IEnumerable<GatedConvBlock> Blocks => net.SelectMany(stage => new[] { stage.conv, stage.conv2 });

    /// <summary>
    /// Fast evaluation: the 3×3 convolutions run as Winograd <see cref="WinogradConv3x3"/> with this tile whenever
    /// grad is disabled (evaluation); training (grad enabled) always uses <c>conv2d</c>, so gradients are exact.
    /// Null keeps <c>conv2d</c> everywhere (the exact path). Default <see cref="DefaultFastInference"/> = F4:
    /// 4× fewer multiply-adds (ViT-B/16, VOC-sized image: grounder 3.7 → 2.3 s, image 6.8 → 4.4 s), float32 error
    /// ~8e-6 of the output's range per convolution (conv2d's own: ~3e-7), which reaches the masks as ≤ 1e-6
    /// (4e-7 measured on a ViT-B/16 TCL, 5.7e-7 against the official fixture masks, within the 1e-6 parity
    /// tolerance). F2: 2.25× fewer, ~5e-7 (conv2d-level) but only ~25% faster in practice. Ignored for kernels
    /// other than 3×3. Numbers: tests/benchmarks/RESULTS.md.
    /// </summary>
    public WinogradTile? FastInference
    {
        get => Blocks.FirstOrDefault()?.FastInference;
        set
        {
            if (_kernelSize != 3) return;
            foreach (var block in Blocks) block.FastInference = value;
        }
    }

    /// <summary>Drops the cached Winograd weights of every block (call after writing decoder weights in place;
    /// content changes are also detected on the next call).</summary>
    public void ResetFastCache()
    {
        foreach (var block in Blocks) block.ResetFastCache();
    }

    public override Tensor forward(Tensor x) => WrappedTensorDisposeScope(() =>
    {
        foreach (var stage in net) x = stage.forward(x);
        return x;
    });
}
