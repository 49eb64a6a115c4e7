using Microsoft.ML.Tokenizers;

namespace Tcl.Clip;

/// <summary>
/// CLIP's text cleaning as a Microsoft.ML.Tokenizers normaliser, applied before pre-tokenisation exactly where
/// OpenAI's <c>SimpleTokenizer.encode</c> applies it:
/// <c>whitespace_clean(basic_clean(text)).lower()</c>, where <c>basic_clean</c> is
/// <c>html.unescape(html.unescape(ftfy.fix_text(text))).strip()</c> and <c>whitespace_clean</c> turns every
/// whitespace run into one space and strips.
/// </summary>
public sealed class ClipTextNormalizer : Normalizer
{
    /// <summary>The normaliser (it has no state).</summary>
    public static ClipTextNormalizer Instance { get; } = new();

    private ClipTextNormalizer()
    {
    }

    /// <summary>Cleans <paramref name="text"/> as CLIP does before tokenising it.</summary>
    public static string Clean(string text)
    {
        string fixedText = TextFixer.FixText(text);
        // CLIP unescapes twice so that doubly escaped captions ("&amp;amp;") come out as plain text.
        string unescaped = PythonHtml.Unescape(PythonHtml.Unescape(fixedText));
        return PythonText.Lower(PythonText.CollapseWhitespace(unescaped));
    }

    /// <inheritdoc />
    public override string Normalize(string original) => Clean(original);

    /// <inheritdoc />
    public override string Normalize(ReadOnlySpan<char> original) => Clean(original.ToString());
}
