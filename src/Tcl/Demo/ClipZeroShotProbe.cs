using Tcl.Clip;
using Tcl.Data.Synthetic;
using Tcl.Data.Transforms;
using static TorchSharp.torch;

namespace Tcl.Demo;

/// <summary>How well CLIP names one attribute of test scenes zero-shot.</summary>
/// <param name="Attribute"><c>shape</c>, <c>colour</c> or <c>stuff</c>.</param>
/// <param name="Prompt">The prompt pattern, <c>{0}</c> = the class word.</param>
/// <param name="Classes">Number of candidate words.</param>
/// <param name="Scenes">Scenes that have the attribute at all.</param>
/// <param name="Accuracy">Fraction of those scenes whose top-1 word is present in the scene.</param>
/// <param name="Chance">The same fraction for a uniformly random guess (present words / classes, averaged).</param>
public sealed record ZeroShotProbeResult(string Attribute, string Prompt, int Classes, int Scenes, double Accuracy, double Chance);

/// <summary>
/// What the small CLIP knows before TCL starts: zero-shot classification of whole test scenes by shape, colour and
/// stuff. TCL can ground only words whose meaning CLIP has learned, so this explains the per-benchmark gaps of the
/// report (e.g. colours learned, shapes not).
/// </summary>
public static class ClipZeroShotProbe
{
    private static readonly (string Attribute, string Prompt)[] Probes =
        [("shape", "a photo of a {0}."), ("colour", "a photo of a {0} object."), ("stuff", "a photo of {0}.")];

    /// <summary>Probes <paramref name="clip"/> on the first <paramref name="scenes"/> test scenes of <paramref name="world"/>.</summary>
    public static IReadOnlyList<ZeroShotProbeResult> Run(ClipModel clip, SyntheticWorldConfig world, int scenes)
    {
        bool training = clip.training;
        clip.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var generator = new SyntheticGenerator(world);
        var sample = Enumerable.Range(0, scenes).Select(i => generator.Generate(i, SyntheticSplit.Test)).ToList();
        var images = stack(sample.Select(s => { using var image = s.ToImage(); return TrainTransform.ToNormalizedTensor(image); }).ToList()); // [N, 3, S, S]
        var imageEmbeddings = nn.functional.normalize(clip.EncodeImage(images), dim: -1);                                            // [N, E]
        var results = new List<ZeroShotProbeResult>();
        foreach (var (attribute, prompt) in Probes)
        {
            var words = Words(attribute, world);
            var tokens = ClipTokenizer.Default.Tokenize(words.Select(w => string.Format(System.Globalization.CultureInfo.InvariantCulture, prompt, w)).ToArray());
            var text = nn.functional.normalize(clip.Text.Encode(tokens, trimToLongest: true), dim: -1);                           // [K, E]
            var top = imageEmbeddings.matmul(text.t()).argmax(1).data<long>().ToArray();                                          // [N]
            int counted = 0, hits = 0;
            double chance = 0;
            for (int i = 0; i < sample.Count; i++)
            {
                var present = Present(attribute, sample[i]);
                if (present.Count == 0) continue;
                counted++;
                if (present.Contains(words[(int)top[i]])) hits++;
                chance += (double)present.Count / words.Count;
            }
            results.Add(new ZeroShotProbeResult(attribute, prompt, words.Count, counted,
                counted == 0 ? double.NaN : (double)hits / counted, counted == 0 ? double.NaN : chance / counted));
        }
        clip.train(training);
        return results;
    }

    private static IReadOnlyList<string> Words(string attribute, SyntheticWorldConfig world) => attribute switch
    {
        "shape" => world.Shapes.Select(s => s.ToString().ToLowerInvariant()).ToList(),
        "colour" => world.Colours.Select(c => c.Name).ToList(),
        _ => world.StuffClassNames,
    };

    private static HashSet<string> Present(string attribute, SyntheticScene scene) => attribute switch
    {
        "shape" => scene.Objects.Where(o => o.Area > 0 && o.Shape is not null).Select(o => o.Shape!.Value.ToString().ToLowerInvariant()).ToHashSet(),
        "colour" => scene.Objects.Where(o => o.Area > 0 && o.Colour is not null).Select(o => o.Colour!).ToHashSet(),
        _ => scene.StuffNames.ToHashSet(),
    };
}
