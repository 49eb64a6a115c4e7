using System.Text.RegularExpressions;

namespace Tcl.Clip;

/// <summary>
/// The two regular expressions with which ftfy 6.1.1 decides that text contains mojibake (<c>ftfy.badness.is_bad</c>)
/// and finds embedded UTF-8 mojibake (<c>ftfy.chardata.UTF8_DETECTOR_RE</c>), transcribed from ftfy's sources with
/// the same character categories and alternatives so that the same strings are judged bad. Python's <c>\s</c> and
/// <c>\w</c> are spelled out because .NET's differ (Python counts U+001C–U+001F as space and no combining mark as a
/// word character).
/// </summary>
internal static class MojibakeHeuristics
{
    // ftfy.badness.MOJIBAKE_CATEGORIES: the ~400 characters that occur in UTF-8 mojibake, by the role they play.
    // Each is a fragment of a regex character class (ranges included).
    private const string Common = "\u00a0\u00ad·´–—―…’";
    private const string C1 = "\u0080-\u009f";
    private const string Bad = "¦¤¨¬¯¶§¸ƒˆˇ˘˛˜†‡‰⌐◊\ufffdªº";
    private const string Currency = "¢£¥₧€";
    private const string StartPunctuation = "¡«¿©΄΅‘‚“„•‹\uf8ff";
    private const string EndPunctuation = "®»˝”›™";
    private const string Numeric = "²³¹±¼½¾×µ÷⁄∂∆∏∑√∞∩∫≈≠≡≤≥№";
    private const string Kaomoji = "Ò-ÖÙ-Üò-öø-üŐ°";
    private const string UpperAccented = "À-ÑØÜÝĂĄĆČĎĐĘĚĞİĹĽŁŃŇŒŘŚŞŠŢŤŮŰŸŹŻŽҐ";
    private const string LowerAccented = "ßà-ñăąćčďđęěğĺľłœŕśşšťüźżžґﬁﬂ";
    private const string UpperCommon = "ÞΑ-ΩΆΈΉΊΌΎΏΪΫЁ-Я";
    private const string LowerCommon = "α-ωάέήίΰа-џ";
    private const string Box = "│┌┐┘├┤┬┼═-╬▀▄█▌▐░▒▓";

    /// <summary>Python's <c>\s</c> on str (<c>str.isspace</c>) as a character-class fragment.</summary>
    internal const string PythonSpace = @"\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

    /// <summary>Python's <c>\w</c> on str: letters, numbers and the underscore.</summary>
    private const string PythonWord = @"\p{L}\p{N}_";

    private const string Accented = LowerAccented + UpperAccented;
    private const string Arabic = Common + Currency + Bad + Numeric + StartPunctuation + "ŸŠ®°µ»";

    /// <summary><c>ftfy.badness.BADNESS_RE</c>: unlikely juxtapositions of mojibake characters, one alternative per line as in ftfy.</summary>
    private static readonly Regex Badness = new(string.Join('|',
        $"[{C1}]",
        $"[{Bad}{Accented}{Box}{StartPunctuation}{EndPunctuation}{Currency}{Numeric}][{Bad}]",
        $"[a-zA-Z][{LowerCommon}{UpperCommon}][{Bad}]",
        $"[{Bad}][{Accented}{Box}{StartPunctuation}{EndPunctuation}{Currency}{Numeric}]",
        $"[{LowerAccented}{LowerCommon}{Box}{EndPunctuation}{Currency}{Numeric}][{UpperAccented}]",
        $"[{Box}{EndPunctuation}{Currency}{Numeric}][{LowerAccented}]",
        $"[{LowerAccented}{Box}{EndPunctuation}][{Currency}]",
        $"[{PythonSpace}][{UpperAccented}][{Currency}]",
        $"[{UpperAccented}{Box}][{Numeric}]",
        $"[{Accented}{Box}{Currency}{EndPunctuation}][{StartPunctuation}][{Numeric}]",
        $"[{Accented}{Currency}{Numeric}{Box}][{EndPunctuation}][{StartPunctuation}]",
        $"[{Currency}{Numeric}{Box}][{StartPunctuation}]",
        $"[a-z][{UpperAccented}][{StartPunctuation}{Currency}]",
        $"[{Box}][{Kaomoji}]",
        $"[{Accented}{Currency}{Numeric}{StartPunctuation}{EndPunctuation}][{Box}]",
        $"[{Box}][{EndPunctuation}]",
        $"[{Accented}][{EndPunctuation}][{PythonWord}]",
        // The ligature œ when not followed by an unaccented Latin letter.
        "[Œœ][^A-Za-z]",
        // Common Windows-1252 two-character mojibake not covered above.
        $"[ÂÃÎÐ][€Šš¢£Ÿž\u00a0\u00ad®©°·»{StartPunctuation}{EndPunctuation}–—´]",
        "×[²³]",
        // Windows-1252 mojibake of Arabic words: it includes the 'common' characters, so four characters are required.
        $"[ØÙ][{Arabic}][ØÙ][{Arabic}]",
        // Windows-1252 mojibake starting three-character sequences of some South Asian alphabets.
        "à[²µ¹¼½¾]",
        // MacRoman mojibake not covered above.
        "√[±∂†≠®™´≤≥¥µø]",
        "≈[°¢]",
        "‚Ä[ìîïòôúùû†°¢π]",
        "‚[âó][àä°ê]",
        // Windows-1251 mojibake of characters in the U+2000 range.
        "вЂ",
        // Windows-1251 mojibake of Latin-1 characters and/or the Cyrillic alphabet (three characters required).
        $"[ВГРС][{C1}{Bad}{StartPunctuation}{EndPunctuation}{Currency}°µ][ВГРС]",
        // Windows-1251 on top of Latin-1 mojibake of Windows-1252 characters, next to a Latin letter.
        "ГўВЂВ.[A-Za-z ]",
        // Windows-1252 encodings of 'à' and 'á', and of U+00A0 itself.
        "Ã[\u00a0¡]",
        $"[a-z][{PythonSpace}]?[ÃÂ][ ]",
        "^[ÃÂ][ ]",
        // Â before a character as an encoding of exactly that character, when the character is common enough.
        $"[a-z.,?!{EndPunctuation}]Â[ {StartPunctuation}{EndPunctuation}]",
        // Windows-1253 mojibake of characters in the U+2000 range.
        "β€[™\u00a0Ά\u00ad®°]",
        // Windows-1253 mojibake of Latin-1 characters and/or the Greek alphabet.
        $"[ΒΓΞΟ][{C1}{Bad}{StartPunctuation}{EndPunctuation}{Currency}°][ΒΓΞΟ]"),
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    // ftfy.chardata.UTF8_CLUES: characters that a Latin-1-like decoder makes out of UTF-8 lead and continuation bytes.
    private const string Utf8FirstOf2 =
        "ÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßĂĆČĎĐĘĚĞİĹŃŇŐŘŞŢŮŰ" +
        "ΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΪΫάέήίВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ";
    private const string Utf8FirstOf3 = "àáâãäåæçèéêëìíîïăćčďęěĺŕΰαβγδεζηθικλμνξοабвгдежзийклмноп";
    private const string Utf8FirstOf4 = "ðóđğπσру";
    private const string Utf8ContinuationStrict =
        "\u0080-¿ĄąĽľŁłŒœŚśŞşŠšŤťŸŹźŻżŽžƒˆˇ˘˛˜˝΄΅" +
        "ΆΈΉΊΌΎΏЁЂЃЄЅІЇЈЉЊЋЌЎЏёђѓєѕіїјљњћќўџҐґ" +
        "†‡•‰‹›€№™";
    // Also spaces (which may stand for U+00A0), dashes, quotation marks and the ellipsis.
    private const string Utf8Continuation = Utf8ContinuationStrict + "–—―‘’‚“”„…";
    private const string Utf8ContinuationOrSpace = Utf8Continuation + " ";

    /// <summary>
    /// <c>ftfy.chardata.UTF8_DETECTOR_RE</c>: runs of what look like whole UTF-8 sequences decoded one byte per
    /// character, not preceded by a strict continuation character (so a few characters inside a large garble are
    /// not "fixed" alone).
    /// </summary>
    public static readonly Regex Utf8Detector = new(
        $"(?<![{Utf8ContinuationStrict}])(" +
        $"[{Utf8FirstOf2}][{Utf8ContinuationOrSpace}]" +
        $"|[{Utf8FirstOf3}][{Utf8ContinuationOrSpace}]{{2}}" +
        $"|[{Utf8FirstOf4}][{Utf8ContinuationOrSpace}]{{3}})+",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary><c>ftfy.badness.is_bad</c>: whether the text contains at least one mojibake-like sequence.</summary>
    public static bool IsBad(string text) => Badness.IsMatch(text);
}
