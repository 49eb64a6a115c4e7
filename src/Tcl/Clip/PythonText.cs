using System.Globalization;
using System.Text;

namespace Tcl.Clip;

/// <summary>
/// The Python <c>str</c> semantics CLIP's text cleaning relies on, where .NET's differ: which characters are
/// whitespace (<c>re</c>'s <c>\s</c>, <c>str.strip</c>) and how <c>str.lower</c> maps case.
/// </summary>
internal static class PythonText
{
    /// <summary>
    /// <c>str.isspace</c>: the White_Space characters plus U+001C–U+001F (which Python counts as separators).
    /// <see cref="char.IsWhiteSpace(char)"/> leaves those four out.
    /// </summary>
    public static bool IsSpace(char c) => c switch
    {
        >= '\t' and <= '\r' or >= '\u001c' and <= ' ' or '\u0085' or '\u00a0' or '\u1680' => true,
        >= '\u2000' and <= '\u200a' or '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000' => true,
        _ => false,
    };

    /// <summary>
    /// CLIP's <c>whitespace_clean</c> after <c>basic_clean</c>'s <c>strip</c>: every run of whitespace becomes one
    /// space and the ends are trimmed (<c>re.sub(r'\s+', ' ', text).strip()</c>).
    /// </summary>
    public static string CollapseWhitespace(string text)
    {
        var result = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (IsSpace(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }
            if (pendingSpace) result.Append(' ');
            pendingSpace = false;
            result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>
    /// <c>str.lower</c>: Unicode full lower-case mapping. It differs from .NET's simple per-character mapping in two
    /// places: U+0130 (İ) becomes "i̇" (i + combining dot above), and a capital sigma at the end of a word becomes
    /// final sigma ς (the Final_Sigma condition of the Unicode standard, as CPython implements it).
    /// </summary>
    public static string Lower(string text)
    {
        var result = new StringBuilder(text.Length);
        Span<char> pair = stackalloc char[2];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\u0130')
            {
                result.Append("i\u0307");
            }
            else if (c == 'Σ')
            {
                result.Append(IsFinalSigma(text, i) ? 'ς' : 'σ');
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int written = Rune.ToLowerInvariant(new Rune(c, text[i + 1])).EncodeToUtf16(pair);
                result.Append(pair[..written]);
                i++;
            }
            else
            {
                result.Append(char.ToLowerInvariant(c));
            }
        }
        return result.ToString();
    }

    /// <summary>
    /// CPython's <c>handle_capital_sigma</c>: Σ is final when a cased letter precedes it and none follows it,
    /// skipping case-ignorable characters on both sides.
    /// </summary>
    private static bool IsFinalSigma(string text, int index)
    {
        int j = index - 1;
        while (j >= 0 && IsCaseIgnorable(text[j])) j--;
        if (j < 0 || !IsCased(text[j])) return false;
        j = index + 1;
        while (j < text.Length && IsCaseIgnorable(text[j])) j++;
        return j == text.Length || !IsCased(text[j]);
    }

    /// <summary>Cased letters (upper, lower or title case); Unicode's Other_Lowercase/Other_Uppercase symbols are not included.</summary>
    private static bool IsCased(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    /// <summary>Case-ignorable characters: marks, format characters, modifiers and the word-internal punctuation of Unicode's definition.</summary>
    private static bool IsCaseIgnorable(char c) =>
        c is '\'' or '.' or ':' or '\u00b7' or '\u2018' or '\u2019' or '\u2024' or '\u2027'
        || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
}
