using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Tcl.Clip;

/// <summary>
/// CLIP's pre-tokeniser: the matches of OpenAI's pattern (compiled with Python's <c>regex</c> module, IGNORECASE)
/// <code>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</code>
/// Each match is one BPE word; whitespace separates matches and is dropped.
/// </summary>
/// <remarks>
/// Written as a scanner over code points rather than a .NET <see cref="System.Text.RegularExpressions.Regex"/>:
/// .NET matches <c>\p{L}</c> per UTF-16 char, so letters and digits outside the Basic Multilingual Plane (CJK
/// extension B, mathematical alphanumerics) would fall into the "other" class and split words differently from
/// Python, which matches per code point. The alternatives are tried in the pattern's order at each position, as a
/// backtracking regex does. Special tokens are found by this scan only (not split out beforehand), so
/// "!&lt;|endoftext|&gt;" yields "!&lt;|", "endoftext", "|&gt;" exactly as in CLIP.
/// </remarks>
public sealed class ClipPreTokenizer : PreTokenizer
{
    /// <summary>The literal alternatives of the pattern, in its order.</summary>
    private static readonly string[] Literals =
        [ClipVocabulary.StartOfText, ClipVocabulary.EndOfText, "'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    /// <summary>The pre-tokeniser (it has no state).</summary>
    public static ClipPreTokenizer Instance { get; } = new();

    private ClipPreTokenizer()
    {
    }

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text.AsSpan());

    /// <inheritdoc />
    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    /// <summary>The (offset, length) in UTF-16 chars of every match, left to right.</summary>
    public static List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var words = new List<(int Offset, int Length)>();
        int i = 0;
        while (i < text.Length)
        {
            int length = MatchAt(text, i);
            if (length == 0)
            {
                i++; // whitespace: no alternative matches here
                continue;
            }
            words.Add((i, length));
            i += length;
        }
        return words;
    }

    /// <summary>Length of the match starting at <paramref name="start"/>, 0 if none (whitespace).</summary>
    private static int MatchAt(ReadOnlySpan<char> text, int start)
    {
        foreach (string literal in Literals)
        {
            if (StartsWithIgnoreCase(text[start..], literal)) return literal.Length;
        }

        CharClass first = Classify(text, start, out int width);
        switch (first)
        {
            case CharClass.Space:
                return 0;
            case CharClass.Number:
                return width; // [\p{N}]: a single code point
            default:
                // [\p{L}]+ or [^\s\p{L}\p{N}]+: a run of code points of the same class.
                int end = start + width;
                while (end < text.Length && Classify(text, end, out int w) == first) end += w;
                return end - start;
        }
    }

    private enum CharClass { Letter, Number, Space, Other }

    private static CharClass Classify(ReadOnlySpan<char> text, int index, out int width)
    {
        if (Rune.DecodeFromUtf16(text[index..], out Rune rune, out width) != System.Buffers.OperationStatus.Done)
        {
            width = 1; // an unpaired surrogate: neither letter, number nor space
            return CharClass.Other;
        }
        if (rune.IsBmp && PythonText.IsSpace((char)rune.Value)) return CharClass.Space;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            _ => CharClass.Other,
        };
    }

    /// <summary>
    /// Case-insensitive literal match with the simple case folding Python's <c>regex</c> uses for IGNORECASE; for
    /// these ASCII literals that adds only U+017F (long s), which folds to 's'.
    /// </summary>
    private static bool StartsWithIgnoreCase(ReadOnlySpan<char> text, string literal)
    {
        if (text.Length < literal.Length) return false;
        for (int k = 0; k < literal.Length; k++)
        {
            char c = text[k];
            char folded = c == '\u017f' ? 's' : char.ToLowerInvariant(c);
            if (folded != literal[k]) return false;
        }
        return true;
    }
}
