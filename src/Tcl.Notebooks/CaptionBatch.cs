using Microsoft.Data.Analysis;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Tcl.Clip;
using Tcl.Data.Synthetic;
using Tcl.Data.Transforms;
using Tcl.Evaluation;
using Tcl.Grounding;
using Tcl.Visualization;
using static TorchSharp.torch;

namespace Tcl.Notebooks;

/// <summary>
/// A few test scenes of the synthetic world and their captions as one training batch, assembled the way the trainer
/// sees a batch (ImageNet-normalised pixels, CLIP token ids): what notebook 2 sends through
/// <see cref="TclModel.TrainingStep"/> before and after training to show every tensor, every loss term and the masks.
/// </summary>
public sealed class CaptionBatch
{
    private CaptionBatch(IReadOnlyList<SyntheticScene> scenes, IReadOnlyList<string> captions, IReadOnlyList<Image<Rgb24>> images)
    {
        Scenes = scenes;
        Captions = captions;
        Images = images;
    }

    /// <summary>The scenes, in batch order.</summary>
    public IReadOnlyList<SyntheticScene> Scenes { get; }

    /// <summary>Each scene's caption, written as the training data writes it.</summary>
    public IReadOnlyList<string> Captions { get; }

    /// <summary>Each scene as a picture (the world's size, e.g. 64×64).</summary>
    public IReadOnlyList<Image<Rgb24>> Images { get; }

    /// <summary>Test scenes 0 … <paramref name="count"/> − 1 of <paramref name="world"/> and their captions.</summary>
    public static CaptionBatch Test(SyntheticWorldConfig world, int count)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var generator = new SyntheticGenerator(world);
        var scenes = Enumerable.Range(0, count).Select(i => generator.Generate(i, SyntheticSplit.Test)).ToList();
        return new CaptionBatch(scenes, scenes.Select(s => CaptionWriter.Write(s, world.Captions)).ToList(), scenes.Select(s => s.ToImage()).ToList());
    }

    /// <summary>The pictures, ImageNet-normalised: <c>[B, 3, H, W]</c> float32 (in the caller's dispose scope).</summary>
    public Tensor Pixels() => cat(Images.Select(im => EvalImagePreprocessor.Normalize(RgbPixels.FromImage(im))).ToList(), 0);

    /// <summary>The captions as CLIP token ids: <c>[B, 77]</c> int64.</summary>
    public Tensor Tokens() => ClipTokenizer.Default.Tokenize(Captions);

    /// <summary>One training forward pass of <paramref name="model"/> on this batch, Gumbel noise from a seeded generator.</summary>
    public TclStepOutput Step(TclModel model, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.TrainingStep(Pixels(), Tokens(), new GeneratorGumbelNoise(new Generator((ulong)seed)));
    }

    /// <summary>Each image's soft mask with its own caption (<c>m_bb</c>), row-major <c>[H'·W']</c>, copied off the tensors.</summary>
    public static IReadOnlyList<float[]> PositiveMasks(TclStepOutput step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var soft = step.Masks.SoftPositive;                                   // [B, 1, H', W']
        return Enumerable.Range(0, (int)soft.shape[0]).Select(b =>
        {
            using var mask = soft[b, 0].detach().contiguous();
            return mask.data<float>().ToArray();
        }).ToList();
    }

    /// <summary>The tensors of a training step and their shapes, with the names the notebook's formulas use.</summary>
    public static DataFrame Shapes(TclStepOutput step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var m = step.Masks;
        var tensors = new (string Name, Tensor? T)[]
        {
            ("E: dense embedding", m.Embedding), ("s: cosine of every pixel with every caption", m.Similarity),
            ("m: soft masks, all pairs", m.SoftAll), ("h: Gumbel hard masks, all pairs", m.HardAll),
            ("positive hard mask h_bb", m.Positive), ("positive soft mask m_bb", m.SoftPositive), ("negative soft masks", m.SoftNegative),
            ("t: caption embeddings", step.TextEmbedding), ("v: CLIP embedding of the hard-masked image", step.MaskedImageEmbedding),
        };
        return ResultTables.ToDataFrame(["tensor", "shape"], tensors.Select(p =>
            (IReadOnlyList<object?>)[p.Name, p.T is null ? "–" : "[" + string.Join(", ", p.T.shape) + "]"]));
    }

    /// <summary>Every weighted loss term of a training step by its official name (4 significant digits).</summary>
    public static DataFrame Terms(TclStepOutput step, string valueColumn = "weighted value")
    {
        ArgumentNullException.ThrowIfNull(step);
        return ResultTables.ToDataFrame(["term", valueColumn],
            step.Terms.Select(kv => (IReadOnlyList<object?>)[kv.Key, kv.Value.item<float>().ToString("G4", System.Globalization.CultureInfo.InvariantCulture)]));
    }
}
