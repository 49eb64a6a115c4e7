using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Tcl.Clip;

/// <summary>
/// Python's <c>html.unescape</c> (CPython 3.11), which CLIP applies twice to every text, and the entity rule of
/// ftfy's <c>unescape_html</c>. The parsing, the numeric rules (Windows-1252 for 0x80–0x9F, U+FFFD for NUL, surrogates
/// and out-of-range values, nothing for other non-characters) and the semicolon-less legacy names follow CPython.
/// </summary>
/// <remarks>
/// Named references are resolved with <see cref="WebUtility.HtmlDecode(string)"/>, i.e. the HTML 4 entity table that
/// .NET ships (<c>&amp;amp;</c>, <c>&amp;quot;</c>, <c>&amp;eacute;</c>, <c>&amp;hellip;</c> …), not the 2,231 names of
/// HTML5 that Python knows: HTML5-only names such as <c>&amp;checkmark;</c> stay as written.
/// </remarks>
internal static class PythonHtml
{
    /// <summary>CPython's <c>html._charref</c>.</summary>
    private static readonly Regex CharRef = new(
        @"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)", RegexOptions.CultureInvariant);

    /// <summary>
    /// Names that HTML5 (and Python) also accept without the final ';' (the Latin-1 set of HTML 3.2 and the four
    /// markup characters), e.g. "&amp;copy 2020".
    /// </summary>
    private static readonly HashSet<string> LegacyNames = new(StringComparer.Ordinal)
    {
        "Aacute", "aacute", "Acirc", "acirc", "acute", "AElig", "aelig", "Agrave", "agrave", "AMP", "amp", "Aring",
        "aring", "Atilde", "atilde", "Auml", "auml", "brvbar", "Ccedil", "ccedil", "cedil", "cent", "COPY", "copy",
        "curren", "deg", "divide", "Eacute", "eacute", "Ecirc", "ecirc", "Egrave", "egrave", "ETH", "eth", "Euml",
        "euml", "frac12", "frac14", "frac34", "GT", "gt", "Iacute", "iacute", "Icirc", "icirc", "iexcl", "Igrave",
        "igrave", "iquest", "Iuml", "iuml", "laquo", "LT", "lt", "macr", "micro", "middot", "nbsp", "not", "Ntilde",
        "ntilde", "Oacute", "oacute", "Ocirc", "ocirc", "Ograve", "ograve", "ordf", "ordm", "Oslash", "oslash",
        "Otilde", "otilde", "Ouml", "ouml", "para", "plusmn", "pound", "QUOT", "quot", "raquo", "REG", "reg", "sect",
        "shy", "sup1", "sup2", "sup3", "szlig", "THORN", "thorn", "times", "Uacute", "uacute", "Ucirc", "ucirc",
        "Ugrave", "ugrave", "uml", "Uuml", "uuml", "Yacute", "yacute", "yen", "yuml",
    };

    /// <summary>HTML5 spells these legacy names in capitals too; .NET's HTML 4 table only has the lowercase forms.</summary>
    private static readonly HashSet<string> CapitalAliases = new(StringComparer.Ordinal) { "AMP", "COPY", "GT", "LT", "QUOT", "REG" };

    /// <summary>Python's <c>html.unescape(s)</c>.</summary>
    public static string Unescape(string s) =>
        s.Contains('&') ? CharRef.Replace(s, m => ReplaceCharRef(m.Groups[1].Value)) : s;

    /// <summary>
    /// ftfy's <c>_unescape_fixup</c> for one match of <c>&amp;#?[0-9A-Za-z]{1,24};</c>: a named entity (or the
    /// all-caps form of a lowercase one, decoded to the upper-case character), or a numeric reference that Python
    /// decodes completely; anything else is kept.
    /// </summary>
    public static string UnescapeFtfyEntity(string entity)
    {
        if (entity.StartsWith("&#", StringComparison.Ordinal))
        {
            string unescaped = Unescape(entity);
            return unescaped.Contains(';') ? entity : unescaped;
        }
        string name = entity[1..^1];
        if (TryNamed(name, out string? value)) return value;
        string lower = name.ToLowerInvariant();
        if (name == name.ToUpperInvariant() && lower != name && TryNamed(lower, out string? lowerValue))
            return lowerValue == "ß" ? "SS" : lowerValue.ToUpperInvariant(); // Python's str.upper maps ß to SS
        return entity;
    }

    /// <summary>CPython's <c>html._replace_charref</c> for the text after '&amp;'.</summary>
    private static string ReplaceCharRef(string s)
    {
        if (s[0] == '#') return NumericCharRef(s);

        if (s.EndsWith(';') && TryNamed(s[..^1], out string? value)) return value;
        // The longest legacy name that prefixes the reference ("&amp;notit;" → "¬it;").
        for (int length = s.EndsWith(';') ? s.Length - 1 : s.Length; length >= 2; length--)
        {
            string prefix = s[..length];
            if (LegacyNames.Contains(prefix) && TryNamed(prefix, out string? prefixValue)) return prefixValue + s[length..];
        }
        return "&" + s;
    }

    private static string NumericCharRef(string s)
    {
        bool hex = s[1] is 'x' or 'X';
        string digits = s[(hex ? 2 : 1)..].TrimEnd(';');
        // Python's int() has no overflow; any value beyond int range is simply "too large" (→ U+FFFD below).
        bool parsed = hex
            ? int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int number)
            : int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number);
        if (!parsed || number > 0x10FFFF) return "\uFFFD";

        if (number == 0x00) return "\uFFFD";
        if (number == 0x0D) return "\r";
        // HTML5: references to C1 controls mean the Windows-1252 character of that byte.
        if (number is >= 0x80 and <= 0x9F) return SingleByteCodec.SloppyWindows1252.Decode((byte)number).ToString();
        if (number is >= 0xD800 and <= 0xDFFF) return "\uFFFD";
        if (number is (>= 0x01 and <= 0x08) or 0x0B or (>= 0x0E and <= 0x1F) or 0x7F or (>= 0xFDD0 and <= 0xFDEF)
            || (number & 0xFFFE) == 0xFFFE)
            return "";
        return char.ConvertFromUtf32(number);
    }

    /// <summary>The character(s) of the named entity <c>&amp;name;</c>, if .NET's table knows it.</summary>
    private static bool TryNamed(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        string lookup = CapitalAliases.Contains(name) ? name.ToLowerInvariant() : name;
        string entity = "&" + lookup + ";";
        string decoded = WebUtility.HtmlDecode(entity);
        value = decoded == entity ? null : decoded;
        return value is not null;
    }
}
