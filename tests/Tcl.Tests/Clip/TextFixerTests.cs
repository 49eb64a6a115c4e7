using Tcl.Clip;
using Xunit;

namespace Tcl.Tests.Clip;

/// <summary>
/// The ftfy port and CLIP's cleaning against outputs of the real libraries: every expected value below was produced
/// by ftfy 6.1.1's <c>fix_text</c> (and, for <see cref="CleanMatchesClip"/>, by CLIP's
/// <c>whitespace_clean(basic_clean(text)).lower()</c>) under CPython 3.11.
/// </summary>
public class TextFixerTests
{
    [Theory]
    [InlineData("schÃ¶n cafÃ©", "schön café")] // whole-string mojibake via Windows-1252
    [InlineData("mojibake schÃ¶n cafÃ© and â€œsmart quotesâ€", "mojibake schön café and \"smart quotesâ€")] // complete sequences fixed, the cut-off one kept
    [InlineData("ÃƒÂ©", "é")] // double mojibake, fixed step by step
    [InlineData("voilÃ le travail", "voilà le travail")] // restore_byte_a0
    [InlineData("â€œ like this â€\ufffd", "\" like this \ufffd")] // replace_lossy_sequences
    [InlineData("ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет")] // Cyrillic through Windows-1252
    [InlineData("Ð¿Ñ€Ð¸Ð²ÐµÑ‚ Ð¼Ð¸Ñ€", "привет мир")] // restore_byte_a0 in Cyrillic
    [InlineData("вЂњquotesвЂќ", "\"quotes\"")] // Windows-1251 mojibake
    [InlineData("Text: cafÃ© end", "Text: café end")] // embedded sequence
    [InlineData("café naïve", "café naïve")] // clean text untouched
    [InlineData("Â£100", "£100")] // Latin-1 sign
    [InlineData("í\u00a0½í¸\u0080", "\U0001f600")] // CESU-8 (a surrogate pair encoded separately)
    [InlineData("c1 \u0093q\u0094", "c1 \"q\"")] // C1 controls as Windows-1252
    [InlineData("\uff21\uff42\uff43 \uff46\uff4f\uff52\uff4d\u3000\uff11\uff12\uff13 \uff76\uff80\uff76\uff85", "Abc form 123 カタカナ")] // full-width and half-width forms
    [InlineData("ﬁnancial ﬂuﬀy ĳs", "financial fluffy ijs")] // Latin ligatures
    [InlineData("“here’s” ʼokina", "\"here's\" 'okina")] // curly quotes
    [InlineData("a\r\nb\rc\u2028d\u2029e", "a\nb\nc\nd\ne")] // line breaks
    [InlineData("\u001b[36;44mblue\u001b[0m", "blue")] // terminal escapes
    [InlineData("x\u0000\u0007\u000b\u007f\ufeff\ufffcy\tz\u000c", "xy\tz\u000c")] // control characters
    [InlineData("e\u0301", "é")] // NFC
    [InlineData("P&EACUTE;REZ &amp;amp; &#x2019; &copy 2020", "PÉREZ & ' &copy 2020")] // ftfy's entity rule
    [InlineData("&lt;b&gt;\n<b>&amp;</b>\nnext &amp;", "<b>\n<b>&amp;</b>\nnext &amp;")] // no entity decoding from the first line with '<' on
    public void FixTextMatchesFtfy(string input, string expected) => Assert.Equal(expected, TextFixer.FixText(input));

    [Theory]
    [InlineData("  A Photo\tOf\n\nA DOG  ", "a photo of a dog")] // whitespace and case
    [InlineData("&amp;amp;amp; &#150; &nbsp;x", "& – x")] // html.unescape twice after ftfy
    [InlineData("ΟΔΟΣ ΣΟΦΟΣ. İstanbul", "οδος σοφος. i\u0307stanbul")] // Python's str.lower (final sigma, dotted I)
    [InlineData("a\u001cb\u3000c\u2003d", "ab c d")] // Python's whitespace
    [InlineData("&notit; &amp &lt;tag&gt;", "¬it; & <tag>")] // legacy entities without ';'
    public void CleanMatchesClip(string input, string expected) => Assert.Equal(expected, ClipTextNormalizer.Clean(input));

    [Fact]
    public void UnpairedSurrogatesBecomeReplacementCharacters()
    {
        // ftfy's fix_surrogates; a valid pair (an emoji) is left as it is.
        Assert.Equal("a\ufffdb\U0001f600", TextFixer.FixText("a\ud83db\U0001f600"));
        Assert.Equal("\ufffd", TextFixer.FixText("\udca9"));
    }

    [Fact]
    public void PlainAsciiIsReturnedAsTheSameInstance()
    {
        // The fast path that keeps clean prompts cheap must not alter them.
        const string prompt = "a photo of a {}.\tthe end\n";
        Assert.Same(prompt, TextFixer.FixText(prompt));
    }
}
