using System.CommandLine;
using System.Globalization;
using Tcl.Clip;
using Tcl.Clip.Weights;

namespace Tcl.Cli.Commands;

/// <summary>
/// <c>tcl inspect-weights FILE [--vision-heads N] [--text-heads N]</c>: reads a CLIP weight file of any supported
/// format and prints what was detected — the format, the architecture the weights imply (both towers and the embed
/// dimension) and the parameter counts — so a user can check a download before building a model from it.
/// Exit code 0 on success, 1 with the importer's message when the file cannot be used.
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
            Description = "attention heads of the image tower, when not width/64 (checkpoints do not store it)",
        };
        var textHeads = new Option<int?>("--text-heads")
        {
            Description = "attention heads of the text tower, when not width/64",
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

    private static int Run(string path, int? visionHeads, int? textHeads, TextWriter output, TextWriter error)
    {
        try
        {
            using var checkpoint = ClipWeights.Read(path, visionHeads, textHeads);
            Print(checkpoint, visionHeads.HasValue, textHeads.HasValue, output);
            return 0;
        }
        catch (WeightLoadException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static void Print(ClipCheckpoint checkpoint, bool visionHeadsGiven, bool textHeadsGiven, TextWriter output)
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
                         Heads(vision.Heads, visionHeadsGiven, "--vision-heads"));
        output.WriteLine($"  text        context {text.ContextLength}, vocab {N(text.VocabSize)}, width {text.Width}, " +
                         $"{text.Layers} layers, {Heads(text.Heads, textHeadsGiven, "--text-heads")}");
        output.WriteLine();
        output.WriteLine("parameters");
        output.WriteLine($"  total       {N(checkpoint.ParameterCount),13}");
        output.WriteLine($"  vision      {N(checkpoint.VisionParameterCount),13}");
        output.WriteLine($"  text        {N(checkpoint.TextParameterCount),13}");
        output.WriteLine($"  logit_scale {N(checkpoint.SharedParameterCount),13}");
    }

    // Heads are the one thing the weights cannot tell, so say where the number came from.
    private static string Heads(int heads, bool given, string option)
    {
        var count = heads == 1 ? "1 head" : $"{heads} heads";
        return given ? $"{count} ({option})" : $"{count} (default width/64; set {option} if the model differs)";
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
