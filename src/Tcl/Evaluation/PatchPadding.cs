using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Tcl.Evaluation;

/// <summary>
/// Zero padding of a window to multiples of the patch size and its undoing (official <c>models/tcl/tcl.py</c>:
/// <c>compute_padsize</c> and the final crop of <c>generate_masks</c>). The ViT needs whole patches; the official code
/// pads in normalised space with zeros, <c>⌊p/2⌋</c> on the left/top and the rest on the right/bottom, and crops the
/// upsampled masks back. Both scorers share this so their outputs line up pixel for pixel.
/// </summary>
/// <param name="Left">Columns added on the left.</param>
/// <param name="Right">Columns added on the right.</param>
/// <param name="Top">Rows added on top.</param>
/// <param name="Bottom">Rows added at the bottom.</param>
public readonly record struct PatchPadding(int Left, int Right, int Top, int Bottom)
{
    /// <summary>The official padding for an <paramref name="height"/>×<paramref name="width"/> window.</summary>
    /// <param name="height">Window rows.</param>
    /// <param name="width">Window columns.</param>
    /// <param name="patchSize">ViT patch size (16 for ViT-B/16).</param>
    public static PatchPadding For(long height, long width, int patchSize)
    {
        if (patchSize < 1) throw new ArgumentOutOfRangeException(nameof(patchSize), patchSize, "Patch size must be ≥ 1.");
        int horizontal = width % patchSize == 0 ? 0 : patchSize - (int)(width % patchSize);
        int vertical = height % patchSize == 0 ? 0 : patchSize - (int)(height % patchSize);
        return new PatchPadding(horizontal / 2, horizontal - horizontal / 2, vertical / 2, vertical - vertical / 2);
    }

    /// <summary>True when any side is padded.</summary>
    public bool Any => Left != 0 || Right != 0 || Top != 0 || Bottom != 0;

    /// <summary>Zero-pads <c>[B, C, H, W] → [B, C, H + Top + Bottom, W + Left + Right]</c> (the input itself when nothing is padded).</summary>
    public Tensor Pad(Tensor x) => Any ? F.pad(x, [Left, Right, Top, Bottom]) : x;

    /// <summary>
    /// Bilinear upsampling (<c>align_corners = False</c>) of masks to the padded size, then the padding cropped off:
    /// <c>[B, K, h', w'] → [B, K, height, width]</c>.
    /// </summary>
    /// <param name="masks">Masks at any resolution.</param>
    /// <param name="height">Rows of the window before padding.</param>
    /// <param name="width">Columns of the window before padding.</param>
    public Tensor UpsampleAndCrop(Tensor masks, long height, long width)
    {
        var full = F.interpolate(masks, size: [height + Top + Bottom, width + Left + Right], mode: InterpolationMode.Bilinear, align_corners: false);
        return Any ? full.narrow(2, Top, height).narrow(3, Left, width) : full;
    }
}
