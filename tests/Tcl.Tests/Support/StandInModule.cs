using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Tcl.Tests.Support;

/// <summary>
/// A TorchSharp module tree whose <c>state_dict()</c> has exactly the given names and shapes, built from dotted
/// names (<c>visual.transformer.resblocks.0.ln_1.weight</c> → nested children <c>visual</c>, <c>transformer</c>, …).
/// Stands in for ClipModel (written elsewhere) so loading can be tested against any key set, including the
/// fixture's. Parameters start as deterministic random values so "unchanged" is a meaningful check.
/// </summary>
public sealed class StandInModule : nn.Module
{
    private StandInModule(string name) : base(name) { }

    /// <summary>A module with a parameter for every entry of <paramref name="shapes"/>.</summary>
    public static StandInModule Build(IReadOnlyDictionary<string, long[]> shapes, string name = "StandInClip", long seed = 7)
    {
        var root = new StandInModule(name);
        var generator = new Generator((ulong)seed);
        foreach (var (key, shape) in shapes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var parts = key.Split('.');
            var node = root;
            foreach (var part in parts[..^1])
            {
                var child = node.named_children().FirstOrDefault(c => c.name == part).module as StandInModule;
                if (child is null) node.register_module(part, child = new StandInModule(part));
                node = child;
            }
            node.register_parameter(parts[^1], new Parameter(randn(shape, generator: generator)));
        }
        return root;
    }

    /// <summary>Bitwise copies of the current state, to compare after a failed load.</summary>
    public Dictionary<string, Tensor> Snapshot() => state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
}
