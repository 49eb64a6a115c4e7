using System.Text;
using System.Text.RegularExpressions;

namespace Tcl.Clip;

/// <summary>
/// ftfy 6.1.1's <c>fix_encoding</c>: undoes mojibake, i.e. UTF-8 text that was decoded with a single-byte encoding
/// (<c>schÃ¶n</c> → <c>schön</c>). Text is only touched when ftfy's badness heuristic says it looks broken; then the
/// whole string is re-encoded with the first single-byte encoding that can represent it and decoded as UTF-8, and if
/// no encoding works for the whole string, complete embedded UTF-8 sequences are repaired one by one. Steps repeat
/// until the text stops changing, as in ftfy.
/// </summary>
/// <remarks>
/// Byte strings are handled as Latin-1 strings (one char per byte, U+0000–U+00FF) so that ftfy's byte regexes can
/// be written unchanged.
/// </remarks>
internal static class MojibakeFixer
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// <c>ALTERED_UTF8_RE</c>: UTF-8 sequences that would be valid if a byte 0xA0 had not been turned into a space by
    /// a Windows-1252 program (only lead bytes whose characters are likely before U+00A0).
    /// </summary>
    private static readonly Regex AlteredUtf8 = new(
        @"[\xc2\xc3\xc5\xce\xd0\xd9][ ]" +
        @"|[\xe2\xe3][ ][\x80-\x84\x86-\x9f\xa1-\xbf]" +
        @"|[\xe0-\xe3][\x80-\x84\x86-\x9f\xa1-\xbf][ ]" +
        @"|[\xf0][ ][\x80-\xbf][\x80-\xbf]" +
        @"|[\xf0][\x80-\xbf][ ][\x80-\xbf]" +
        @"|[\xf0][\x80-\xbf][\x80-\xbf][ ]",
        RegexOptions.CultureInvariant);

    /// <summary>
    /// <c>A_GRAVE_WORD_RE</c>: "Ã " as a word of its own is "à" followed by a space (French "à la"), except in the
    /// Portuguese contractions "às", "àquele", "àquela", "àquilo".
    /// </summary>
    private static readonly Regex AGraveWord = new(@"\xc3 (?! |quele|quela|quilo|s )", RegexOptions.CultureInvariant);

    /// <summary>
    /// <c>LOSSY_UTF8_RE</c>: UTF-8 (and CESU-8) sequences in which a sloppy codec had to write 0x1A for a byte that had
    /// already become U+FFFD (or '?' once per sequence); such a sequence decodes to one U+FFFD.
    /// </summary>
    private static readonly Regex LossyUtf8 = new(
        @"[\xc2-\xdf][\x1a]" +
        @"|[\xc2-\xc3][?]" +
        @"|\xed[\xa0-\xaf][\x1a?]\xed[\xb0-\xbf][\x1a?\x80-\xbf]" +
        @"|\xed[\xa0-\xaf][\x1a?\x80-\xbf]\xed[\xb0-\xbf][\x1a?]" +
        @"|[\xe0-\xef][\x1a?][\x1a\x80-\xbf]" +
        @"|[\xe0-\xef][\x1a\x80-\xbf][\x1a?]" +
        @"|[\xf0-\xf4][\x1a?][\x1a\x80-\xbf][\x1a\x80-\xbf]" +
        @"|[\xf0-\xf4][\x1a\x80-\xbf][\x1a?][\x1a\x80-\xbf]" +
        @"|[\xf0-\xf4][\x1a\x80-\xbf][\x1a\x80-\xbf][\x1a?]" +
        @"|\x1a",
        RegexOptions.CultureInvariant);

    /// <summary>The UTF-8 bytes of U+FFFD, as a Latin-1 byte string.</summary>
    private const string ReplacementCharacterUtf8 = "\u00ef\u00bf\u00bd";

    /// <summary><c>ftfy.fix_encoding</c>: applies single repair steps until the text no longer changes.</summary>
    public static string FixEncoding(string text)
    {
        while (true)
        {
            string fixedText = FixOneStep(text);
            if (fixedText == text) return text;
            text = fixedText;
        }
    }

    /// <summary><c>ftfy._fix_encoding_one_step_and_explain</c> with ftfy's default configuration.</summary>
    private static string FixOneStep(string text)
    {
        if (text.Length == 0 || IsAscii(text) || !MojibakeHeuristics.IsBad(text)) return text;

        // The common case: the whole string is UTF-8 that went through one single-byte decoder.
        bool latin1Possible = false;
        foreach (SingleByteCodec codec in SingleByteCodec.CharmapEncodings)
        {
            if (!codec.CanEncode(text)) continue;
            latin1Possible |= codec == SingleByteCodec.Latin1;
            string bytes = Latin1String(codec.Encode(text));
            if (AlteredUtf8.IsMatch(bytes)) bytes = RestoreByteA0(bytes);
            if (codec.IsSloppy) bytes = LossyUtf8.Replace(bytes, ReplacementCharacterUtf8);
            if (TryDecodeUtf8Variants(bytes, out string? decoded)) return decoded;
        }

        // UTF-8 mojibake embedded in otherwise different text: fix complete sequences in isolation.
        if (MojibakeHeuristics.Utf8Detector.IsMatch(text))
        {
            string fixedText = DecodeInconsistentUtf8(text);
            if (fixedText != text) return fixedText;
        }

        // Latin-1 text whose C1 controls were meant as Windows-1252 (ftfy 6.1.1 tests for "windows-1252" among the
        // possible encodings, which only ever lists "sloppy-windows-1252", so it always takes this strict route).
        if (latin1Possible && TryDecodeC1AsStrictWindows1252(text, out string? windows1252) && windows1252 != text)
            return windows1252;

        return HasC1Control(text) ? TextFixer.FixC1Controls(text) : text;
    }

    /// <summary>
    /// <c>ftfy.fixes.decode_inconsistent_utf8</c>: each run found by the UTF-8 detector that is shorter than the
    /// whole text and itself looks bad is fixed with the full <see cref="FixEncoding"/>.
    /// </summary>
    private static string DecodeInconsistentUtf8(string text) =>
        MojibakeHeuristics.Utf8Detector.Replace(text, match =>
            match.Length < text.Length && MojibakeHeuristics.IsBad(match.Value) ? FixEncoding(match.Value) : match.Value);

    /// <summary><c>ftfy.fixes.restore_byte_a0</c>: puts back the 0xA0 bytes that became spaces inside UTF-8 sequences.</summary>
    private static string RestoreByteA0(string bytes)
    {
        bytes = AGraveWord.Replace(bytes, "\u00c3\u00a0 ");
        return AlteredUtf8.Replace(bytes, m => m.Value.Replace(' ', '\u00a0'));
    }

    /// <summary>
    /// Decodes with ftfy's <c>utf-8-variants</c> when the bytes contain 0xED or 0xC0 (CESU-8 surrogate pairs and
    /// Java's two-byte NUL), else with strict UTF-8; false when the bytes are not valid in that codec.
    /// </summary>
    private static bool TryDecodeUtf8Variants(string bytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? decoded)
    {
        decoded = null;
        var result = new StringBuilder(bytes.Length);
        int start = 0;
        int i = 0;
        bool variants = bytes.Contains('\u00ed') || bytes.Contains('\u00c0');
        while (variants && i < bytes.Length)
        {
            if (bytes[i] == '\u00c0' && i + 1 < bytes.Length && bytes[i + 1] == '\u0080')
            {
                if (!TryAppendStrict(bytes, start, i, result)) return false;
                result.Append('\0');
                i += 2;
                start = i;
            }
            else if (IsCesu8Pair(bytes, i))
            {
                if (!TryAppendStrict(bytes, start, i, result)) return false;
                // Each half is a three-byte encoding of a UTF-16 surrogate; appending both chars rebuilds the pair.
                result.Append(ThreeByteValue(bytes, i)).Append(ThreeByteValue(bytes, i + 3));
                i += 6;
                start = i;
            }
            else
            {
                i++;
            }
        }
        if (!TryAppendStrict(bytes, start, bytes.Length, result)) return false;
        decoded = result.ToString();
        return true;
    }

    private static bool IsCesu8Pair(string b, int i) =>
        i + 5 < b.Length && b[i] == '\u00ed' && b[i + 1] is >= '\u00a0' and <= '\u00af' && b[i + 2] is >= '\u0080' and <= '\u00bf'
        && b[i + 3] == '\u00ed' && b[i + 4] is >= '\u00b0' and <= '\u00bf' && b[i + 5] is >= '\u0080' and <= '\u00bf';

    private static char ThreeByteValue(string b, int i) => (char)(((b[i] & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));

    private static bool TryAppendStrict(string bytes, int start, int end, StringBuilder result)
    {
        byte[] chunk = new byte[end - start];
        for (int k = 0; k < chunk.Length; k++) chunk[k] = (byte)bytes[start + k];
        try
        {
            result.Append(StrictUtf8.GetString(chunk));
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Python's <c>text.encode('latin-1').decode('windows-1252')</c>: fails on the five bytes Windows-1252 leaves undefined.</summary>
    private static bool TryDecodeC1AsStrictWindows1252(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? decoded)
    {
        decoded = null;
        var chars = text.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (chars[i] is < '\u0080' or > '\u009f') continue;
            char mapped = SingleByteCodec.SloppyWindows1252.Decode((byte)chars[i]);
            if (mapped == chars[i]) return false; // undefined in the real code page: the sloppy codec passed it through
            chars[i] = mapped;
        }
        decoded = new string(chars);
        return true;
    }

    private static bool HasC1Control(string text) => text.AsSpan().ContainsAnyInRange('\u0080', '\u009f');

    private static bool IsAscii(string text) => !text.AsSpan().ContainsAnyExceptInRange('\0', '\u007f');

    private static string Latin1String(byte[] bytes) => string.Create(bytes.Length, bytes, static (span, b) =>
    {
        for (int i = 0; i < b.Length; i++) span[i] = (char)b[i];
    });
}
