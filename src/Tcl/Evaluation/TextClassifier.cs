using Tcl.Clip;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Evaluation;

/// <summary>
/// The zero-shot text classifier of a dataset (the official <c>build_text_embedding</c>, <c>models/tcl/tcl.py</c>):
/// every class name under every template → CLIP tokens → frozen CLIP text tower → mean of the <b>un-normalised</b>
/// template embeddings per class → L2-normalised (eps 1e-6) → <c>[K, E]</c>. Computed once per dataset.
/// </summary>
/// <remarks>
/// Prompts go through the tower in chunks of <see cref="DefaultChunkSize"/> (the official chunking; no numerical
/// effect). Each chunk runs only up to its longest prompt's end-of-text token
/// (<see cref="TextTransformer.Encode"/> with <c>trimToLongest</c>): the attention is causal and pooling reads the
/// first end-of-text position, so the later positions cannot influence the result; evaluation prompts are ~10
/// tokens of 77, which makes the classifier several times cheaper.
/// </remarks>
public static class TextClassifier
{
    /// <summary>Prompts per text-tower call (the official chunk size).</summary>
    public const int DefaultChunkSize = 1024;

    /// <summary>Eps of the final L2 normalisation (<c>F.normalize(eps=1e-6)</c>).</summary>
    public const double NormalizeEps = 1e-6;

    /// <summary>Token ids of every (class, template) prompt: <c>[K, T, context]</c> int64.</summary>
    /// <param name="tokenizer">CLIP tokenizer (truncating, as everywhere in TCL).</param>
    /// <param name="classNames">Prompted class names, used verbatim (no renaming).</param>
    /// <param name="templates">Templates with one <c>{}</c> each (<see cref="PromptTemplates.Get"/>).</param>
    public static Tensor Tokenize(ClipTokenizer tokenizer, IReadOnlyList<string> classNames, IReadOnlyList<string> templates)
    {
        if (classNames.Count == 0 || templates.Count == 0)
            throw new ArgumentException($"Need at least one class name and one template, got {classNames.Count} and {templates.Count}.");
        var prompts = classNames.SelectMany(c => PromptTemplates.Prompts(c, templates)).ToList();
        using var flat = tokenizer.Tokenize(prompts);                                    // [K·T, context]
        return flat.reshape(classNames.Count, templates.Count, flat.shape[1]);           // [K, T, context]
    }

    /// <summary>The classifier of a dataset from class names and a template set.</summary>
    /// <param name="textTower">Frozen CLIP text tower.</param>
    /// <param name="tokenizer">CLIP tokenizer.</param>
    /// <param name="classNames">Prompted class names (without the background class of background datasets).</param>
    /// <param name="templates">Template set.</param>
    /// <param name="chunkSize">Prompts per tower call.</param>
    /// <returns>L2-normalised class embeddings <c>[K, E]</c>.</returns>
    public static Tensor Build(TextTransformer textTower, ClipTokenizer tokenizer, IReadOnlyList<string> classNames,
                               IReadOnlyList<string> templates, int chunkSize = DefaultChunkSize)
    {
        using var scope = NewDisposeScope();
        var tokens = Tokenize(tokenizer, classNames, templates);
        return FromTokens(textTower, tokens, chunkSize).MoveToOuterDisposeScope();
    }

    /// <summary>The classifier from already tokenized prompts.</summary>
    /// <param name="textTower">Frozen CLIP text tower.</param>
    /// <param name="tokens">Ids <c>[K, T, L]</c> (class, template, position), L ≤ context length.</param>
    /// <param name="chunkSize">Prompts per tower call.</param>
    /// <returns>L2-normalised class embeddings <c>[K, E]</c>, on the tower's device.</returns>
    public static Tensor FromTokens(TextTransformer textTower, Tensor tokens, int chunkSize = DefaultChunkSize)
    {
        if (tokens.dim() != 3)
            throw new ArgumentException($"Expected token ids [K, T, L], got [{string.Join(", ", tokens.shape)}].", nameof(tokens));
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "Chunk size must be positive.");
        long k = tokens.shape[0], t = tokens.shape[1];
        var device = textTower.text_projection.device;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var flat = tokens.reshape(k * t, tokens.shape[2]).to(device);                  // [K·T, L]
        var chunks = new List<Tensor>();
        for (long start = 0; start < k * t; start += chunkSize)
        {
            long n = Math.Min(chunkSize, k * t - start);
            chunks.Add(textTower.Encode(flat.narrow(0, start, n), trimToLongest: true)); // [n, E]
        }
        var embeddings = cat(chunks, 0).reshape(k, t, -1);                                // [K, T, E]
        var mean = embeddings.mean([1]);                                                 // [K, E] un-normalised mean
        return nn.functional.normalize(mean, p: 2, dim: -1, eps: NormalizeEps).MoveToOuterDisposeScope();
    }
}
