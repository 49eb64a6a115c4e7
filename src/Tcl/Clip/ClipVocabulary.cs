using System.IO.Compression;
using System.Text;

namespace Tcl.Clip;

/// <summary>
/// CLIP's byte-level BPE vocabulary, built exactly the way OpenAI's <c>SimpleTokenizer.__init__</c> builds it from the
/// merges file <c>bpe_simple_vocab_16e6.txt.gz</c>: the 256 byte symbols, the same 256 with <c>&lt;/w&gt;</c>, the
/// concatenation of each of the first 48,894 merges, then <c>&lt;|startoftext|&gt;</c> and <c>&lt;|endoftext|&gt;</c>.
/// Ids are positions in that list (49,408 tokens), so the order below is load-bearing.
/// </summary>
public sealed class ClipVocabulary
{
    /// <summary>Number of merges CLIP uses: <c>49152 - 256 - 2</c> (its code slices lines 1 … 48,894 after the header).</summary>
    public const int MergeCount = 49152 - 256 - 2;

    /// <summary>Marker CLIP appends to the last symbol of every word.</summary>
    public const string EndOfWord = "</w>";

    /// <summary>Start-of-text special token (id 49,406 in CLIP's vocabulary).</summary>
    public const string StartOfText = "<|startoftext|>";

    /// <summary>End-of-text special token (id 49,407 in CLIP's vocabulary).</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>Name of the merges file embedded in the Tcl assembly (the one shipped with OpenAI CLIP and TCL).</summary>
    internal const string EmbeddedResourceName = "Tcl.Clip.bpe_simple_vocab_16e6.txt.gz";

    private ClipVocabulary(string[] tokens, IReadOnlyList<string> merges)
    {
        Tokens = tokens;
        Merges = merges;
        var ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++)
        {
            // CLIP builds its encoder with dict(zip(vocab, range(n))): a duplicate would silently shadow an id there.
            // The official file has none; a custom file that has one would not reproduce CLIP's ids, so refuse it.
            if (!ids.TryAdd(tokens[i], i))
                throw new InvalidDataException($"Token '{tokens[i]}' occurs twice in the CLIP vocabulary built from the merges.");
        }
        Ids = ids;
    }

    /// <summary>Token strings by id (byte-level symbols; <c>&lt;/w&gt;</c> marks a word end).</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Ids by token string.</summary>
    public IReadOnlyDictionary<string, int> Ids { get; }

    /// <summary>The merges in rank order, each as <c>"left right"</c> (the format Microsoft.ML.Tokenizers reads).</summary>
    public IReadOnlyList<string> Merges { get; }

    /// <summary>Id of <see cref="StartOfText"/>.</summary>
    public int StartOfTextId => Ids[StartOfText];

    /// <summary>Id of <see cref="EndOfText"/>.</summary>
    public int EndOfTextId => Ids[EndOfText];

    /// <summary>Reads the merges file embedded in the Tcl assembly.</summary>
    public static ClipVocabulary LoadEmbedded()
    {
        using Stream stream = typeof(ClipVocabulary).Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{EmbeddedResourceName}' is missing from the Tcl assembly.");
        return FromStream(stream, gzipped: true);
    }

    /// <summary>Reads a merges file from disk; a name ending in <c>.gz</c> is decompressed first.</summary>
    /// <param name="path">Path of <c>bpe_simple_vocab_16e6.txt.gz</c> or of its decompressed text.</param>
    public static ClipVocabulary FromFile(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return FromStream(stream, path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Reads a merges file: a header line, then one <c>"left right"</c> merge per line in rank order.</summary>
    /// <param name="stream">The file's bytes (UTF-8).</param>
    /// <param name="gzipped">Whether <paramref name="stream"/> is gzip-compressed.</param>
    public static ClipVocabulary FromStream(Stream stream, bool gzipped)
    {
        using Stream text = gzipped ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : stream;
        using var reader = new StreamReader(text, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: gzipped);

        // CLIP: merges = file.split('\n')[1 : 49152-256-2+1]; the first line is a version header.
        reader.ReadLine();
        var merges = new List<string>(MergeCount);
        while (merges.Count < MergeCount && reader.ReadLine() is { } line)
        {
            string[] parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"Merge line {merges.Count + 2} is not 'left right': '{line}'.");
            merges.Add(line);
        }
        if (merges.Count < MergeCount)
            throw new InvalidDataException($"The merges file has {merges.Count} merges; CLIP's vocabulary needs {MergeCount}.");

        var tokens = new List<string>(2 * 256 + MergeCount + 2);
        tokens.AddRange(ByteLevel.Symbols);
        tokens.AddRange(ByteLevel.Symbols.Select(s => s + EndOfWord));
        tokens.AddRange(merges.Select(m => m.Replace(" ", "", StringComparison.Ordinal)));
        tokens.Add(StartOfText);
        tokens.Add(EndOfText);
        return new ClipVocabulary([.. tokens], merges);
    }
}
