using System.Text;
using System.Text.RegularExpressions;

namespace Tcl.Clip;

/// <summary>
/// A port of <c>ftfy.fix_text</c> (ftfy 6.1.1, default configuration), the first step of CLIP's text cleaning.
/// OpenAI's tokenizer runs every caption and prompt through it, so token ids of broken text (mojibake, full-width
/// letters, curly quotes, ligatures, HTML entities) depend on it.
/// </summary>
/// <remarks>
/// <para>Reproduced, in ftfy's order and with its repeat-until-stable loop per line: <c>unescape_html</c> (only on
/// lines before the first one containing '&lt;', like ftfy's "auto" setting), <c>fix_encoding</c> (see
/// <see cref="MojibakeFixer"/>: whole-string re-decoding through latin-1, the sloppy Windows code pages 1250–1254,
/// ISO-8859-2, MacRoman and CP437 with <c>restore_byte_a0</c>, <c>replace_lossy_sequences</c> and CESU-8, then
/// <c>decode_inconsistent_utf8</c> and the C1 fallbacks), <c>fix_c1_controls</c>, <c>fix_latin_ligatures</c>,
/// <c>fix_character_width</c>, <c>uncurl_quotes</c>, <c>fix_line_breaks</c>, <c>fix_surrogates</c>,
/// <c>remove_terminal_escapes</c>, <c>remove_control_chars</c> and NFC.</para>
/// <para>Not reproduced: HTML5-only entity names (named references are resolved with .NET's HTML 4 table, see
/// <see cref="PythonHtml"/>); Unicode-version differences between CPython's <c>unicodedata</c> and .NET's ICU in
/// NFC/NFKC; the 1,000,000-character segment limit for text without line breaks (irrelevant at caption length).</para>
/// </remarks>
public static class TextFixer
{
    /// <summary>ftfy's <c>ANSI_RE</c>: terminal colour and cursor escape sequences.</summary>
    private static readonly Regex AnsiEscape = new(@"\x1b\[((?:\d|;)*)([a-zA-Z])", RegexOptions.CultureInvariant);

    /// <summary>ftfy's <c>HTML_ENTITY_RE</c>: what ftfy considers an HTML entity (always ending in ';').</summary>
    private static readonly Regex HtmlEntity = new(@"&#?[0-9A-Za-z]{1,24};", RegexOptions.CultureInvariant);

    /// <summary>ftfy's <c>LIGATURES</c>: Latin typographic ligatures and legacy digraphs, split into their letters.</summary>
    private static readonly Dictionary<char, string> Ligatures = new()
    {
        ['Ĳ'] = "IJ", ['ĳ'] = "ij", ['ŉ'] = "ʼn",
        ['Ǳ'] = "DZ", ['ǲ'] = "Dz", ['ǳ'] = "dz", ['Ǆ'] = "DŽ", ['ǅ'] = "Dž", ['ǆ'] = "dž",
        ['Ǉ'] = "LJ", ['ǈ'] = "Lj", ['ǉ'] = "lj", ['Ǌ'] = "NJ", ['ǋ'] = "Nj", ['ǌ'] = "nj",
        ['ﬀ'] = "ff", ['ﬁ'] = "fi", ['ﬂ'] = "fl", ['ﬃ'] = "ffi", ['ﬄ'] = "ffl", ['ﬅ'] = "ſt", ['ﬆ'] = "st",
    };

    /// <summary>
    /// ftfy's <c>WIDTH_MAP</c>: the NFKC form of every changed character of the Halfwidth and Fullwidth Forms block
    /// (U+FF01–U+FFEF), plus the ideographic space U+3000 → ' '.
    /// </summary>
    private static readonly Dictionary<char, string> WidthMap = BuildWidthMap();

    private static Dictionary<char, string> BuildWidthMap()
    {
        var map = new Dictionary<char, string> { ['\u3000'] = " " };
        for (char c = '\uff01'; c < '\ufff0'; c++)
        {
            string alternate = c.ToString().Normalize(NormalizationForm.FormKC);
            if (alternate != c.ToString()) map[c] = alternate;
        }
        return map;
    }

    /// <summary>
    /// Fixes <paramref name="text"/> as <c>ftfy.fix_text(text)</c> does: line by line (each line keeps its '\n'),
    /// each line repaired until stable.
    /// </summary>
    public static string FixText(string text)
    {
        if (IsPlainAscii(text)) return text;

        var result = new StringBuilder(text.Length);
        bool unescapeHtml = true;
        int position = 0;
        while (position < text.Length)
        {
            int lineEnd = text.IndexOf('\n', position) + 1;
            if (lineEnd == 0) lineEnd = text.Length;
            string line = text[position..lineEnd];
            // ftfy's "auto": a '<' suggests real HTML, where entities are meant literally; the switch stays off for
            // the rest of the text because fix_text reassigns its config.
            if (line.Contains('<')) unescapeHtml = false;
            result.Append(FixLine(line, unescapeHtml));
            position = lineEnd;
        }
        return result.ToString();
    }

    /// <summary>
    /// Text made only of printable ASCII, tabs and newlines, without '&amp;', is left unchanged by every step:
    /// the common case (prompts, clean captions) skips the whole pipeline.
    /// </summary>
    private static bool IsPlainAscii(string text)
    {
        foreach (char c in text)
        {
            if (c is (< ' ' or > '~') and not '\t' and not '\n' || c == '&') return false;
        }
        return true;
    }

    /// <summary><c>ftfy.fix_and_explain</c> on one line: all steps, repeated until the line stops changing.</summary>
    private static string FixLine(string text, bool unescapeHtml)
    {
        while (true)
        {
            string original = text;
            if (unescapeHtml) text = UnescapeHtml(text);
            text = MojibakeFixer.FixEncoding(text);
            text = FixC1Controls(text);
            text = Translate(text, Ligatures);
            text = Translate(text, WidthMap);
            text = UncurlQuotes(text);
            text = FixLineBreaks(text);
            text = FixSurrogates(text);
            text = AnsiEscape.Replace(text, "");
            text = RemoveControlChars(text);
            text = text.Normalize(NormalizationForm.FormC);
            if (text == original) return text;
        }
    }

    /// <summary>
    /// ftfy's <c>unescape_html</c>: decodes entities that end in ';' (named ones, all-caps versions of lowercase
    /// names such as <c>&amp;EACUTE;</c>, and numeric ones), and leaves everything else, e.g. "this&amp;not that".
    /// </summary>
    private static string UnescapeHtml(string text) =>
        text.Contains('&') ? HtmlEntity.Replace(text, m => PythonHtml.UnescapeFtfyEntity(m.Value)) : text;

    /// <summary>ftfy's <c>fix_c1_controls</c>: C1 control characters become their Windows-1252 characters, as browsers do.</summary>
    internal static string FixC1Controls(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u0080', '\u009f')) return text;
        return string.Create(text.Length, text, static (span, t) =>
        {
            for (int i = 0; i < t.Length; i++)
                span[i] = t[i] is >= '\u0080' and <= '\u009f' ? SingleByteCodec.SloppyWindows1252.Decode((byte)t[i]) : t[i];
        });
    }

    /// <summary>ftfy's <c>uncurl_quotes</c>: curly single quotes (and U+02BC) become ', curly double quotes ".</summary>
    private static string UncurlQuotes(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u2018', '\u201f') && !text.Contains('\u02bc')) return text;
        return string.Create(text.Length, text, static (span, t) =>
        {
            for (int i = 0; i < t.Length; i++)
                span[i] = t[i] switch
                {
                    '\u02bc' or (>= '\u2018' and <= '\u201b') => '\'',
                    >= '\u201c' and <= '\u201f' => '"',
                    _ => t[i],
                };
        });
    }

    /// <summary>ftfy's <c>fix_line_breaks</c>: CRLF, CR, U+2028, U+2029 and NEL become '\n'.</summary>
    private static string FixLineBreaks(string text) => text
        .Replace("\r\n", "\n", StringComparison.Ordinal)
        .Replace('\r', '\n').Replace('\u2028', '\n').Replace('\u2029', '\n').Replace('\u0085', '\n');

    /// <summary>
    /// ftfy's <c>fix_surrogates</c>: in .NET a valid surrogate pair already is the character, so only unpaired
    /// surrogates remain to be replaced by U+FFFD.
    /// </summary>
    private static string FixSurrogates(string text)
    {
        StringBuilder? result = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                result?.Append(c).Append(text[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                result ??= new StringBuilder(text, 0, i, text.Length);
                result.Append('\uFFFD');
            }
            else
            {
                result?.Append(c);
            }
        }
        return result?.ToString() ?? text;
    }

    /// <summary>
    /// ftfy's <c>remove_control_chars</c>: drops ASCII controls other than \t \n \f \r, DEL, the deprecated Arabic
    /// format controls U+206A–U+206F, the BOM U+FEFF and U+FFF9–U+FFFC. C1 controls are clues for the mojibake
    /// fixer and are kept.
    /// </summary>
    private static string RemoveControlChars(string text)
    {
        static bool IsRemoved(char c) => c is (<= '\u0008' or '\u000b' or (>= '\u000e' and <= '\u001f') or '\u007f'
            or (>= '\u206a' and <= '\u206f') or '\ufeff' or (>= '\ufff9' and <= '\ufffc'));

        int first = text.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        if (first < 0 && !text.AsSpan().ContainsAny("\u007f\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\ufff9\ufffa\ufffb\ufffc"))
            return text;
        var result = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (!IsRemoved(c)) result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>Python's <c>str.translate</c> with a table of single characters to strings.</summary>
    private static string Translate(string text, Dictionary<char, string> table)
    {
        StringBuilder? result = null;
        for (int i = 0; i < text.Length; i++)
        {
            if (table.TryGetValue(text[i], out string? replacement))
            {
                result ??= new StringBuilder(text, 0, i, text.Length + 8);
                result.Append(replacement);
            }
            else
            {
                result?.Append(text[i]);
            }
        }
        return result?.ToString() ?? text;
    }
}
