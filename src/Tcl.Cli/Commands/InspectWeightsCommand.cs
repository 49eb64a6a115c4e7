using System.CommandLine;
using System.Globalization;
using Tcl.Clip;
using Tcl.Clip.Weights;

namespace Tcl.Cli.Commands;

/// <summary>
/// <c>tcl inspect-weights FILE [--vision-heads N] [--text-heads N]</c>: reads a CLIP weight file of any supported
/// format and prints what was detected — the format, the architecture the weights imply (both towers and the embed
/// dimension) and the parameter counts — so a user can check a download before building a model from it.
/// Exit codes: 0 the weights are usable; 1 the file cannot be read as CLIP weights (missing, a directory, not a weight
/// file, a truncated safetensors file …); 2 (<see cref="Unusable"/>) it was read and described, but loading would
/// refuse it — tensors missing, unexpected or of the wrong shape for the architecture, or NaN/±∞ values, each named
/// on stderr.
/// </summary>
public static class InspectWeightsCommand
{
    /// <summary>The subcommand, ready to be added to the root.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("file")
        {
            Description = "CLIP weight file: OpenAI TorchScript archive (e.g. ViT-B-16.pt), torch.save zip state dict, " +
                          "or .safetensors with OpenAI or Hugging Face CLIPModel names",
        };
        var visionHeads = new Option<int?>("--vision-heads")
        {
            Description = "attention heads of the image tower, when the file does not store them and they are not width/64",
        };
        var textHeads = new Option<int?>("--text-heads")
        {
            Description = "attention heads of the text tower, when the file does not store them and they are not width/64",
        };
        var command = new Command("inspect-weights", "Detect a CLIP weight file's format and print its architecture and parameter counts.")
        {
            file, visionHeads, textHeads,
        };
        command.SetAction(parse => Run(
            parse.GetRequiredValue(file), parse.GetValue(visionHeads), parse.GetValue(textHeads),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Exit code: the file was read but would be refused by <c>evaluate</c>, <c>train</c> and the library
    /// (tensors missing, unexpected or of the wrong shape for the architecture they imply, or NaN/±∞ values).</summary>
    public const int Unusable = 2;

    private static int Run(string path, int? visionHeads, int? textHeads, TextWriter output, TextWriter error)
    {
        try
        {
            // Read without the finiteness check so the report can show everything that is wrong at once.
            using var checkpoint = ClipWeights.Read(path, visionHeads, textHeads, requireFinite: false);
            Print(checkpoint, output);
            var problems = Problems(checkpoint);
            foreach (var problem in problems) error.WriteLine($"error: {problem.Message}");
            return problems.Count == 0 ? 0 : Unusable;
        }
        catch (WeightLoadException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    /// <summary>What loading would refuse: the strict comparison with the model the weights imply (as
    /// <see cref="ClipWeights.LoadModel"/> does it), and non-finite values.</summary>
    private static List<WeightLoadException> Problems(ClipCheckpoint checkpoint)
    {
        var problems = new List<WeightLoadException>();
        using (var model = new ClipModel(checkpoint.Config))
            if (StateDictLoading.Check(model, checkpoint.StateDict, checkpoint.Path) is { } mismatch) problems.Add(mismatch);
        var nonFinite = NonFiniteWeights.Find(checkpoint.StateDict);
        if (nonFinite.Count > 0) problems.Add(WeightLoadException.ForNonFinite(checkpoint.Path, nonFinite));
        return problems;
    }

    private static void Print(ClipCheckpoint checkpoint, TextWriter output)
    {
        var (vision, text) = (checkpoint.Config.Vision, checkpoint.Config.Text);
        output.WriteLine($"file          {checkpoint.Path}");
        output.WriteLine($"format        {checkpoint.Format.Describe()}");
        output.WriteLine($"tensors       {N(checkpoint.StateDict.Count)}");
        output.WriteLine();
        output.WriteLine("architecture (inferred from the weights)");
        output.WriteLine($"  embed dim   {checkpoint.Config.EmbedDim}");
        output.WriteLine($"  vision      ViT, image {vision.ImageResolution} px, patch {vision.PatchSize} " +
                         $"(grid {vision.GridSize}x{vision.GridSize}), width {vision.Width}, {vision.Layers} layers, " +
                         Heads(vision.Heads, checkpoint.VisionHeadsSource, "--vision-heads"));
        output.WriteLine($"  text        context {text.ContextLength}, vocab {N(text.VocabSize)}, width {text.Width}, " +
                         $"{text.Layers} layers, {Heads(text.Heads, checkpoint.TextHeadsSource, "--text-heads")}");
        output.WriteLine();
        output.WriteLine("parameters");
        output.WriteLine($"  total       {N(checkpoint.ParameterCount),13}");
        output.WriteLine($"  vision      {N(checkpoint.VisionParameterCount),13}");
        output.WriteLine($"  text        {N(checkpoint.TextParameterCount),13}");
        output.WriteLine($"  logit_scale {N(checkpoint.SharedParameterCount),13}");
    }

    // Heads are the one thing the weights cannot tell, so say where the number came from.
    private static string Heads(int heads, HeadsSource source, string option)
    {
        var count = heads == 1 ? "1 head" : $"{heads} heads";
        return source switch
        {
            HeadsSource.Given => $"{count} ({option})",
            HeadsSource.FileMetadata => $"{count} (stored in the file)",
            HeadsSource.OpenAiRule => $"{count} (width/64, as OpenAI's build_model)",
            _ => $"{count} (assumed width/64: the file does not say; set {option} if the model differs)",
        };
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
