using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Grounding;

/// <summary>Source of the uniform noise of the Gumbel-sigmoid mask; injectable so a test can replay recorded noise.</summary>
public interface IGumbelNoise
{
    /// <summary>U ~ Uniform[0, 1) with the shape, dtype and device of <paramref name="like"/>.</summary>
    Tensor Uniform(Tensor like);
}

/// <summary>Noise from a seeded torch generator (its state is checkpointed with the run).</summary>
public sealed class GeneratorGumbelNoise(Generator generator) : IGumbelNoise
{
    public Generator Generator { get; } = generator;

    public Tensor Uniform(Tensor like) => rand(like.shape, dtype: like.dtype, device: like.device, generator: Generator);
}

/// <summary>Replays a recorded U (parity tests with the official code's <c>rand_like</c> draw).</summary>
public sealed class RecordedGumbelNoise(Tensor uniform) : IGumbelNoise
{
    public Tensor Uniform(Tensor like)
    {
        if (!uniform.shape.SequenceEqual(like.shape))
            throw new ArgumentException($"Recorded noise has shape [{string.Join(",", uniform.shape)}], the logits [{string.Join(",", like.shape)}].");
        return uniform.to(like.dtype, like.device);
    }
}

/// <summary>
/// Similarity → mask (official <c>Sim2Mask</c> in <c>models/tcl/masker.py</c>, <c>gumbel.py</c>):
/// <c>logit = w·s + b</c> with learnable scalars (w₀ = 10, b₀ = −2.5), soft mask <c>σ(logit)</c>, and the training-time
/// hard mask by the straight-through Gumbel-sigmoid: forward value <c>1[σ((logit + log(U/(1−U)))/τ) &gt; 0.5]</c>,
/// gradient of the relaxed <c>σ(·)</c>.
/// </summary>
public sealed class Sim2Mask : nn.Module<Tensor, Tensor>
{
    public Parameter w;
    public Parameter b;

    private readonly double _tau;

    private static readonly Scalar Half = Scalars.Pinned(0.5);

    public Sim2Mask(double initW, double initB, double gumbelTau) : base("sim2mask")
    {
        w = new Parameter(tensor((float)initW));
        b = new Parameter(tensor((float)initB));
        _tau = gumbelTau;
        RegisterComponents();
    }

    /// <summary>Mask logits <c>w·s + b</c>, same shape as the similarity.</summary>
    public Tensor Logits(Tensor similarity) => (similarity * w).add(b, Scalars.One);

    /// <summary>Soft mask <c>σ(w·s + b)</c>.</summary>
    public override Tensor forward(Tensor similarity) => Logits(similarity).sigmoid();

    /// <summary>Straight-through hard mask from logits (0/1 forward, gradient of the relaxed sigmoid).</summary>
    public Tensor Hard(Tensor logits, IGumbelNoise noise)
    {
        using var scalars = new ScalarScope();
        var u = noise.Uniform(logits);
        var logistic = (u / u.negative().add(Scalars.One, Scalars.One)).log();            // log(U / (1 − U))
        var soft = logits.add(logistic, Scalars.One).div(scalars.Of(_tau)).sigmoid();
        var hard = soft.gt(Half).to(logits.dtype);
        return (hard - soft.detach()).add(soft, Scalars.One);
    }
}
