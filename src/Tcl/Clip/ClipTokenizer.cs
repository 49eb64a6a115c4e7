using Microsoft.ML.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Tcl.Clip;

/// <summary>
/// OpenAI CLIP's byte-level BPE tokenizer (<c>clip.simple_tokenizer.SimpleTokenizer</c> with <c>clip.tokenize</c>),
/// reproducing its token ids exactly: text cleaning (<see cref="ClipTextNormalizer"/>), CLIP's pre-tokeniser
/// (<see cref="ClipPreTokenizer"/>), then BPE over UTF-8 bytes with CLIP's merges and the <c>&lt;/w&gt;</c> word-end
/// marker, run by Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> (which also caches the merges of short words).
/// Instances are immutable and safe to share between threads.
/// </summary>
public sealed class ClipTokenizer
{
    /// <summary>CLIP's context length: every tokenized text is padded or truncated to 77 ids, SOT and EOT included.</summary>
    public const int DefaultContextLength = 77;

    /// <summary>Longest text quoted in the message of a too-long-text error.</summary>
    private const int MaxQuotedLength = 60;

    private static readonly Lazy<ClipTokenizer> DefaultInstance =
        new(() => new ClipTokenizer(ClipVocabulary.LoadEmbedded()), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Builds the tokenizer for a vocabulary (see <see cref="ClipVocabulary"/> for how it is read).</summary>
    public ClipTokenizer(ClipVocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        var specialTokens = new Dictionary<string, int>
        {
            [ClipVocabulary.StartOfText] = vocabulary.StartOfTextId,
            [ClipVocabulary.EndOfText] = vocabulary.EndOfTextId,
        };
        Bpe = BpeTokenizer.Create(new BpeOptions(vocabulary.Ids)
        {
            Merges = vocabulary.Merges,
            // A pre-token equal to a special token maps straight to its id (CLIP pre-fills its BPE cache with them).
            SpecialTokens = specialTokens,
            PreTokenizer = ClipPreTokenizer.Instance,
            Normalizer = ClipTextNormalizer.Instance,
            ByteLevel = true,
            EndOfWordSuffix = ClipVocabulary.EndOfWord,
        });
    }

    /// <summary>The tokenizer of OpenAI CLIP (and TCL), built once from the merges file embedded in this assembly.</summary>
    public static ClipTokenizer Default => DefaultInstance.Value;

    /// <summary>Builds a tokenizer from a merges file on disk (<c>bpe_simple_vocab_16e6.txt.gz</c> or its decompressed text).</summary>
    public static ClipTokenizer FromMergesFile(string path) => new(ClipVocabulary.FromFile(path));

    /// <summary>The vocabulary (49,408 tokens for CLIP's merges file).</summary>
    public ClipVocabulary Vocabulary { get; }

    /// <summary>The underlying Microsoft.ML.Tokenizers BPE model, normaliser and pre-tokeniser included.</summary>
    public BpeTokenizer Bpe { get; }

    /// <summary>Id of <c>&lt;|startoftext|&gt;</c> (SOT, 49,406), which starts every sequence.</summary>
    public int StartOfTextId => Vocabulary.StartOfTextId;

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c> (EOT, 49,407), which ends every sequence; the text tower pools at its first occurrence.</summary>
    public int EndOfTextId => Vocabulary.EndOfTextId;

    /// <summary>CLIP's <c>SimpleTokenizer.encode</c>: the BPE ids of the cleaned text, without SOT and EOT.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. Bpe.EncodeToIds(text)];
    }

    /// <summary>
    /// One row of <c>clip.tokenize</c> without its zero padding: <c>[SOT] + Encode(text) + [EOT]</c>. Longer than
    /// <paramref name="contextLength"/>, it is cut to that length with the last id replaced by EOT when
    /// <paramref name="truncate"/> is set, and rejected otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The text has too many tokens and <paramref name="truncate"/> is false.</exception>
    public long[] EncodeWithSpecials(string text, int contextLength = DefaultContextLength, bool truncate = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        int[] ids = Encode(text);
        int fullLength = ids.Length + 2;
        if (fullLength > contextLength && !truncate)
        {
            string quoted = text.Length <= MaxQuotedLength ? text : text[..MaxQuotedLength] + "…";
            throw new ArgumentException(
                $"Input '{quoted}' is too long for context length {contextLength}: it has {fullLength} tokens with SOT and EOT.",
                nameof(text));
        }

        var row = new long[Math.Min(fullLength, contextLength)];
        row[0] = StartOfTextId;
        for (int i = 1; i < row.Length; i++) row[i] = i - 1 < ids.Length ? ids[i - 1] : EndOfTextId;
        // CLIP: tokens = tokens[:context_length]; tokens[-1] = eot_token (also covers the untruncated case).
        row[^1] = EndOfTextId;
        return row;
    }

    /// <summary>
    /// <c>clip.tokenize(texts, context_length, truncate)</c>: int64 tensor [N, contextLength], row i holding
    /// <see cref="EncodeWithSpecials"/> of text i followed by zeros.
    /// </summary>
    /// <exception cref="ArgumentException">A text has too many tokens and <paramref name="truncate"/> is false.</exception>
    public Tensor Tokenize(IReadOnlyList<string> texts, int contextLength = DefaultContextLength, bool truncate = true)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        var data = new long[texts.Count * (long)contextLength];
        for (int n = 0; n < texts.Count; n++)
        {
            long[] row = EncodeWithSpecials(texts[n], contextLength, truncate);
            row.CopyTo(data, n * (long)contextLength);
        }
        return torch.tensor(data, [texts.Count, contextLength], ScalarType.Int64);
    }

    /// <summary><c>clip.tokenize(text)</c> for a single text: int64 tensor [1, contextLength].</summary>
    public Tensor Tokenize(string text, int contextLength = DefaultContextLength, bool truncate = true) =>
        Tokenize([text], contextLength, truncate);

    /// <summary>
    /// CLIP's <c>SimpleTokenizer.decode</c>: the token strings joined, bytes turned back into UTF-8 text (invalid
    /// sequences become U+FFFD) and every word end <c>&lt;/w&gt;</c> written as a space. Special ids decode to
    /// their token text and padding id 0 to "!", as in CLIP: strip them first if they are not wanted.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ByteLevel.Decode(ids.Select(TokenOf));
    }

    /// <inheritdoc cref="Decode(IEnumerable{int})"/>
    public string Decode(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ByteLevel.Decode(ids.Select(id => TokenOf(id is >= 0 and <= int.MaxValue ? (int)id : -1)));
    }

    private string TokenOf(int id) =>
        id >= 0 && id < Vocabulary.Tokens.Count
            ? Vocabulary.Tokens[id]
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id outside the vocabulary of {Vocabulary.Tokens.Count}.");
}
