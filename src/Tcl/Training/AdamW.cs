using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Tcl.Torch;

namespace Tcl.Training;

/// <summary>Hyper-parameters of <see cref="AdamW"/> (official: betas 0.9/0.999, eps 1e-6, weight decay 0.05).</summary>
/// <param name="Beta1">First-moment decay.</param>
/// <param name="Beta2">Second-moment decay.</param>
/// <param name="Eps">Added to the root of the second moment (1e-6: tcl.yml overrides PyTorch's 1e-8).</param>
/// <param name="WeightDecay">Decoupled weight decay of the decayed group (<see cref="Training.WeightDecay"/>).</param>
public sealed record AdamWConfig(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-6, double WeightDecay = 0.05);

/// <summary>
/// PyTorch's AdamW (single-tensor form, the arithmetic of <c>torch.optim.AdamW</c>) over named parameters. Its state
/// is keyed by state-dict name, not by position, so checkpoints stay readable and survive a change of parameter
/// order; each parameter counts its own steps, so the grounder block's moments and bias correction start when it
/// unfreezes at <c>ust_steps</c>, as in the official run. A parameter without a gradient is skipped (no decay either).
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly List<Entry> _entries;

    private sealed class Entry(string name, Parameter parameter, double weightDecay)
    {
        public string Name { get; } = name;
        public Parameter Parameter { get; } = parameter;
        public double WeightDecay { get; } = weightDecay;
        public long Step { get; set; }
        public Tensor? ExpAvg { get; set; }
        public Tensor? ExpAvgSq { get; set; }
    }

    /// <param name="parameters">Every parameter to optimise, by state-dict name.</param>
    /// <param name="config">Hyper-parameters; the decay group follows <see cref="WeightDecay.IsDecayed"/>.</param>
    public AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, AdamWConfig config)
    {
        Config = config;
        _entries = parameters.Select(p => new Entry(p.Name, p.Parameter,
            WeightDecay.IsDecayed(p.Name, p.Parameter.shape) ? config.WeightDecay : 0)).ToList();
        var duplicate = _entries.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Parameter '{duplicate.Key}' is listed twice.", nameof(parameters));
    }

    public AdamWConfig Config { get; }

    /// <summary>The optimised parameters by name.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> Parameters => _entries.Select(e => (e.Name, e.Parameter));

    /// <summary>Clears every gradient (sets it to none, as <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var e in _entries)
        {
            var grad = e.Parameter.grad;
            if (grad is null) continue;
            e.Parameter.grad = null;
            grad.Dispose();
        }
    }

    /// <summary>One update with learning rate <paramref name="lr"/> of every parameter that has a gradient.</summary>
    public void Step(double lr)
    {
        using var _ = no_grad();
        using var scalars = new ScalarScope();
        double b1 = Config.Beta1, b2 = Config.Beta2;
        Scalar beta1 = scalars.Of(b1), beta2 = scalars.Of(b2), oneMinusBeta1 = scalars.Of(1 - b1), oneMinusBeta2 = scalars.Of(1 - b2);
        var eps = scalars.Of(Config.Eps);
        foreach (var e in _entries)
        {
            var grad = e.Parameter.grad;
            if (grad is null) continue;
            e.ExpAvg ??= zeros_like(e.Parameter).DetachFromDisposeScope();
            e.ExpAvgSq ??= zeros_like(e.Parameter).DetachFromDisposeScope();
            e.Step++;
            e.Parameter.mul_(scalars.Of(1 - lr * e.WeightDecay));
            e.ExpAvg.mul_(beta1).add_(grad, alpha: oneMinusBeta1);
            e.ExpAvgSq.mul_(beta2).addcmul_(grad, grad, value: oneMinusBeta2);
            double biasCorrection1 = 1 - Math.Pow(b1, e.Step);
            double biasCorrection2 = 1 - Math.Pow(b2, e.Step);
            using var denom = e.ExpAvgSq.sqrt().div_(scalars.Of(Math.Sqrt(biasCorrection2))).add_(eps, Scalars.One);
            e.Parameter.addcdiv_(e.ExpAvg, denom, value: scalars.Of(-lr / biasCorrection1));
        }
    }

    /// <summary>
    /// The optimiser state for a checkpoint: moments as tensors named <c>exp_avg.NAME</c>, <c>exp_avg_sq.NAME</c>
    /// (only for parameters that have been updated), and the step count of every parameter. The tensors are the
    /// live state; write them before the next <see cref="Step"/>.
    /// </summary>
    public (IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, long> Steps) State()
    {
        var tensors = new Dictionary<string, Tensor>();
        foreach (var e in _entries.Where(e => e.ExpAvg is not null))
        {
            tensors["exp_avg." + e.Name] = e.ExpAvg!;
            tensors["exp_avg_sq." + e.Name] = e.ExpAvgSq!;
        }
        return (tensors, _entries.ToDictionary(e => e.Name, e => e.Step));
    }

    /// <summary>
    /// Restores a state written by <see cref="State"/>. Every parameter with a non-zero step must have both moments of
    /// its shape; names the optimiser does not know are an error (a checkpoint of another model).
    /// </summary>
    /// <exception cref="InvalidDataException">The state does not fit these parameters; the message names the entry.</exception>
    public void LoadState(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, long> steps, string source)
    {
        var byName = _entries.ToDictionary(e => e.Name);
        var unknown = steps.Keys.Where(n => !byName.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
            throw new InvalidDataException($"{source}: optimizer state names parameters this model does not have: {string.Join(", ", unknown.Take(5))}.");
        var restored = new List<(Entry, long, Tensor?, Tensor?)>();
        foreach (var e in _entries)
        {
            long step = steps.TryGetValue(e.Name, out var s) ? s : 0;
            if (step == 0) { restored.Add((e, 0, null, null)); continue; }
            Tensor Moment(string kind)
            {
                if (!tensors.TryGetValue(kind + "." + e.Name, out var t))
                    throw new InvalidDataException($"{source}: optimizer state lacks '{kind}.{e.Name}' (the parameter has taken {step} steps).");
                if (!t.shape.SequenceEqual(e.Parameter.shape))
                    throw new InvalidDataException($"{source}: '{kind}.{e.Name}' has shape [{string.Join(", ", t.shape)}], expected [{string.Join(", ", e.Parameter.shape)}].");
                return t;
            }
            restored.Add((e, step, Moment("exp_avg"), Moment("exp_avg_sq")));
        }
        // All checks passed: only now replace the state (never half-restored).
        foreach (var (e, step, m, v) in restored)
        {
            e.ExpAvg?.Dispose();
            e.ExpAvgSq?.Dispose();
            e.Step = step;
            e.ExpAvg = m?.to(e.Parameter.dtype, e.Parameter.device, copy: true).DetachFromDisposeScope();
            e.ExpAvgSq = v?.to(e.Parameter.dtype, e.Parameter.device, copy: true).DetachFromDisposeScope();
        }
    }

    public void Dispose()
    {
        foreach (var e in _entries)
        {
            e.ExpAvg?.Dispose();
            e.ExpAvgSq?.Dispose();
        }
    }
}
